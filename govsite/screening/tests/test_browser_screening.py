"""Screening and the .txt rule in the real editor.

- 预检 (R-SCREEN-1..4): an officer checks an unsaved article, sees every finding with the
  matched text highlighted, fixes it, checks again — and nothing was saved.
- 第十七条 (R-FMT-1): a .txt file chosen for the body becomes its paragraphs.
"""

import re

import pytest
from playwright.sync_api import expect

from govsite.columns.models import ArticlePage
from govsite.testing.helpers import sub_column
from govsite.workflow.tests.test_browser_review import MORE_ACTIONS, write_article

from .test_engine import term

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_precheck_shows_findings_highlighted_and_saves_nothing(
    browser_page,
    browser_login,
    make_user,
):
    term("网上赌场", 7)
    officer = make_user("zonghe_writer", "综合科-信息员")
    page = browser_page
    browser_login(page, officer)
    column = sub_column("工作动态")
    write_article(page, column, "关于整治网上赌场的通知", "本通知为内部资料。")

    page.get_by_role("button", name=MORE_ACTIONS).click()
    page.get_by_role("button", name="预检（不保存）").click()
    result = page.locator("[data-precheck-result]")
    expect(result).to_contain_text("发现 2 处必须修改的问题")
    expect(result.locator("mark")).to_have_text(["网上赌场", "内部资料"])
    expect(result).to_contain_text("标题第5个字处")

    page.locator("#id_title").fill("关于整治电信诈骗的通知")
    body = page.locator("[data-contentpath='body']").get_by_role("textbox")
    body.fill("本通知自发布之日起施行。")
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile("施行"))
    page.get_by_role("button", name=MORE_ACTIONS).click()
    page.get_by_role("button", name="预检（不保存）").click()
    expect(result).to_contain_text("预检通过")
    assert not ArticlePage.objects.exists()


def test_a_txt_file_becomes_the_body(browser_page, browser_login, make_user, tmp_path):
    """第十七条: the officer picks a GB18030 .txt file; the draft is saved with its paragraphs."""
    officer = make_user("zonghe_writer", "综合科-信息员")
    page = browser_page
    browser_login(page, officer)
    text = tmp_path / "通知.txt"
    text.write_bytes("　　各科室：\r\n\r\n　　现将春节假期安排通知如下。\r\n".encode("gb18030"))
    page.goto(f"/admin/pages/add/columns/articlepage/{sub_column('工作动态').pk}/")
    page.locator("#id_title").fill("关于春节假期安排的通知")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("input[name='body_txt']").set_input_files(str(text))
    article = ArticlePage.objects.get()
    assert [block.value.source for block in article.get_latest_revision_as_object().body] == [
        "<p>各科室：</p>",
        "<p>现将春节假期安排通知如下。</p>",
    ]
    body = page.locator("[data-contentpath='body']")
    expect(body).to_contain_text("现将春节假期安排通知如下。")
