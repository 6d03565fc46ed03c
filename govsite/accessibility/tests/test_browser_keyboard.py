"""Keyboard only (SPEC §11, R-A11Y-1; GB/T 37668): from the homepage a visitor reaches 沟通信箱's
我要写信 with Tab and Enter, fills the letter form by typing, submits it and reads the query
code — no mouse at all. The captcha's answer is read from the visitor's session on the server,
as a person reads the image (govsite/mailbox/tests/test_browser_public.py)."""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from govsite.mailbox import captcha
from govsite.mailbox.models import Letter

from .conftest import tab_to, wait_for_toolbar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def captcha_answer(page):
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    return captcha.answer_for(SessionStore(session_key=cookie["value"]))


def follow(page, name):
    """Tab to the link or button named ``name`` and press Enter."""
    tab_to(page, name)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_letter_written_from_the_homepage_with_the_keyboard_only(browser_page, site_tree):
    page = browser_page
    page.goto("/")
    wait_for_toolbar(page)
    follow(page, "在线交流")
    follow(page, "沟通信箱")
    follow(page, "我要写信")

    tab_to(page, "姓名")
    page.keyboard.type("钱七")
    tab_to(page, "联系电话")
    page.keyboard.type("13600004444")
    tab_to(page, "咨询")  # 类型: the chosen kind takes the focus, the arrow keys choose another
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="建议")).to_be_checked()
    tab_to(page, "标题")
    page.keyboard.type("建议在社区增设老年人办事帮办窗口")
    tab_to(page, "内容")
    page.keyboard.type("老年人不会用手机办事，希望社区服务中心设帮办窗口。")
    tab_to(page, "验证码")
    page.keyboard.type(captcha_answer(page))
    tab_to(page, "提交信件")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="信件已提交")).to_be_visible()
    code = page.locator("[data-query-code]").inner_text()
    assert re.fullmatch(r"([A-Z2-9]{4}-){3}[A-Z2-9]{4}", code)
    letter = Letter.objects.get()
    assert (letter.subject, letter.kind) == (
        "建议在社区增设老年人办事帮办窗口",
        Letter.Kind.SUGGEST,
    )
