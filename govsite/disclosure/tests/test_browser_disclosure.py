"""Browser scenario for 政务公开 (R-OPEN-1, R-OPEN-2; 第十条): 文书科's officer writes a 政府文件
with its full metadata in the editor and submits it; 文书科's chief and the director supervising
文书科 approve it; a visitor reads its metadata above the text, finds it in the 政务公开目录 by its
主题分类 (another document stays out) and in the policy library by its 发文字号. Each person signs
in through the real form."""

import re

import pytest
from playwright.sync_api import expect

from govsite.workflow.tests.test_browser_review import (
    APPROVE,
    SUBMIT,
    editor_action,
    open_from_queue,
)

from ..models import DocumentPage
from ..pages import CataloguePage, PolicyLibraryPage
from .factories import add_document, document_column, topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于进一步规范区政府网站信息发布工作的通知"
TEXT = "各科室：为进一步规范网站信息发布工作，现就有关事项通知如下。"
NUMBER = "临政办发〔2026〕41号"


def write_document(page, column):
    page.goto(f"/admin/pages/add/disclosure/documentpage/{column.pk}/")
    page.locator("#id_title").fill(TITLE)
    body = page.locator("[data-contentpath='body']")
    editor = body.get_by_role("textbox")
    editor.click()
    editor.press_sequentially(TEXT)
    expect(body.locator("input[name='body-0-value']")).to_have_value(re.compile(TEXT))
    page.get_by_role("tab", name="公开属性").click()
    page.get_by_label("发文字号").fill(NUMBER)
    page.get_by_label("成文日期").fill("2026-11-30")
    page.get_by_label("主题分类").select_option(label="综合政务 › 政务公开")
    page.get_by_label("体裁").select_option(label="通知")
    page.get_by_label("关键词").fill("网站 信息发布 审核")
    page.get_by_label("内容概述").fill("明确网站信息发布的审核程序和责任分工。")


def test_a_document_from_the_editor_to_the_catalogue_and_the_library(sign_in, role_users):
    officer, chief = role_users["文书科-信息员"], role_users["文书科-科长"]
    director = role_users["主管主任(秘书科、文书科)"]
    column = document_column("政府文件")
    other = add_document(
        document_column("政府办文件"),
        title="关于做好安全生产工作的通知",
        topic=topic("市场监管、安全生产监管", "安全生产监管"),
        document_number="临政办发〔2026〕7号",
    )

    page = sign_in(officer)
    write_document(page, column)
    editor_action(page, SUBMIT)
    document = DocumentPage.objects.get(title=TITLE)
    assert document.document_number == NUMBER and not document.live

    for reviewer in (chief, director):
        page = sign_in(reviewer)
        open_from_queue(page, TITLE)
        editor_action(page, APPROVE)

    document.refresh_from_db()
    assert document.live and document.index_number
    assert (document.topic.name, document.genre.name) == ("政务公开", "通知")

    # The visitor: the document's own page shows its metadata above the text.
    page.context.clear_cookies()
    page.goto(document.url)
    main = page.get_by_role("main")
    for shown in (document.index_number, NUMBER, "综合政务 › 政务公开", "2026-11-30", TEXT):
        expect(main).to_contain_text(shown)

    # In the 政务公开目录, by 主题分类: 综合政务, then 政务公开.
    page.goto(CataloguePage.objects.get().url)
    topics = page.get_by_role("region", name="主题分类")
    topics.get_by_role("link", name=re.compile(r"^综合政务（1）")).click()
    page.get_by_role("region", name="主题分类").get_by_role("link", name="政务公开（1）").click()
    listed = page.locator("table.document-list tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(document.index_number)
    listed.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)

    # In the policy library, by 发文字号 typed with other brackets: it comes first.
    page.goto(PolicyLibraryPage.objects.get().url)
    expect(page.locator("table.document-list")).to_contain_text(other.title)
    library = page.get_by_role("search", name="在政策文件中搜索")
    library.get_by_role("searchbox").fill(NUMBER.replace("〔", "[").replace("〕", "]"))
    library.get_by_role("button", name="搜索").click()
    first = page.locator("table.document-list tbody tr").first
    expect(first).to_contain_text(TITLE)
    expect(first).to_contain_text(NUMBER)
    expect(page.locator("table.document-list")).not_to_contain_text(other.title)
