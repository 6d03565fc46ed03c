"""沟通信箱 in the browser (R-MAIL-1, R-MAIL-5): a visitor writes a letter, writes down its
number and query code, and tracks it.

The captcha's answer is in the visitor's session on the server only; the test reads it there
(``captcha.answer_for``) through the session store the live server uses — as a person reads
the image.
"""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from .. import captcha
from ..models import Letter
from ..pages import MailboxPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def captcha_answer(page):
    """The answer to the captcha the server issued to this browser's session."""
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    return captcha.answer_for(SessionStore(session_key=cookie["value"]))


def test_a_visitor_writes_a_letter_and_tracks_it(browser_page):
    mailbox = MailboxPage.objects.get()
    page = browser_page
    page.goto(mailbox.url)
    expect(page.get_by_role("heading", name="留言须知")).to_be_visible()
    page.get_by_role("link", name="我要写信").click()

    page.get_by_role("textbox", name="姓名").fill("赵六")
    page.get_by_role("textbox", name="联系电话").fill("13700003333")
    page.get_by_role("radio", name="建议").check()
    page.get_by_role("textbox", name="标题").fill("建议延长图书馆开放时间")
    page.get_by_role("textbox", name="内容").fill("　　希望周末图书馆开放到晚上九点。\n谢谢！")
    page.get_by_role("textbox", name="验证码").fill(
        "0"
    )  # a wrong answer first: refused, the text stays
    page.get_by_role("button", name="提交信件", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("验证码不正确")
    expect(page.get_by_role("textbox", name="标题")).to_have_value("建议延长图书馆开放时间")
    page.get_by_role("textbox", name="验证码").fill(captcha_answer(page))
    page.get_by_role("button", name="提交信件", exact=True).click()

    expect(page.get_by_role("heading", name="信件已提交")).to_be_visible()
    number = page.locator("[data-tracking-number]").inner_text()
    code = page.locator("[data-query-code]").inner_text()
    assert re.fullmatch(r"GT-\d{8}-\d{4}", number)
    assert re.fullmatch(r"([A-Z2-9]{4}-){3}[A-Z2-9]{4}", code)
    page.reload()  # shown once; and a refresh sends nothing again
    expect(page.get_by_role("heading", name="信件编号和查询码只显示一次")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(code)
    letter = Letter.objects.get()
    assert (letter.tracking_number, letter.kind) == (number, Letter.Kind.SUGGEST)

    page.get_by_role("link", name="查询办理结果").click()
    page.get_by_role("textbox", name="信件编号").fill(number.lower())
    page.get_by_role("textbox", name="查询码").fill(code.replace("-", ""))
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-status]")).to_have_text("已收到，待分类")
    expect(page.locator("main")).to_contain_text("希望周末图书馆开放到晚上九点。")
