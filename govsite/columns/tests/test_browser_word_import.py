"""Browser scenarios for 从 Word 文档导入 and pasting from WPS/Word (R-FMT-1, R-FMT-2; 第十七条):
an officer opens a new article, finds a text block ready, imports a .docx with pictures, is told
what became of each, and saves the draft; text pasted from Word keeps its structure only."""

import re

import pytest
from playwright.sync_api import expect

from govsite.columns.models import ArticlePage
from govsite.images.models import GovImage
from govsite.images.tests.factories import jpeg_bytes, png_bytes
from govsite.testing.docx import BULLETS, docx, heading, image, paragraph, run, table
from govsite.testing.helpers import sub_column

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

TITLE = "重点工程推进会情况"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# What WPS and Word put on the clipboard: direct formatting everywhere, Office's own markup.
WORD_CLIPBOARD = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>'
    '<h1 style="mso-style-name:标题 1"><span style="font-family:黑体;color:#C00000">一、总体要求'
    "</span></h1>"
    '<p class="MsoNormal" style="text-indent:2em;font-family:仿宋_GB2312;font-size:16pt">'
    '<span style="color:red;background:yellow">全区重点工程</span><b>按期推进</b>'
    "<i>（斜体说明）</i><u>下划线</u><o:p></o:p></p>"
    '<ul><li style="font-size:14pt">道路改造</li><li>管网改造</li></ul>'
    '<table class="MsoTableGrid" border="1"><tr><td>项目</td><td>进度</td></tr></table>'
    "</body></html>"
)


def saved_to_form(page, text):
    """Draftail writes the editor's content to the form a moment after a change."""
    field = page.locator("[data-contentpath='body'] input[name='body-0-value']")
    expect(field).to_have_value(re.compile(re.escape(text)))


@pytest.fixture
def officer_page(browser_page, browser_login, make_user, settings, tmp_path):
    # Wagtail autosaves the editor half a second after a change; an explicit 保存草稿 while that
    # request is on its way would create a second article.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    officer = make_user("mishu_officer", "秘书科-信息员")
    page = browser_login(browser_page, officer)
    column = sub_column("重点工程")  # owned by 秘书科
    page.goto(f"/admin/pages/add/columns/articlepage/{column.pk}/")
    return page


def test_officer_imports_a_word_document_with_pictures(officer_page):
    page = officer_page
    body = page.locator("[data-contentpath='body']")
    # A new article's body starts with one empty text block, ready to type in.
    expect(body.locator(".Draftail-Editor")).to_have_count(1)

    page.locator("#id_title").fill(TITLE)
    document = docx(
        heading("一、总体情况"),
        paragraph(run("全区重点工程按期推进。", color="FF0000", font="仿宋_GB2312")),
        paragraph("道路改造", numbering=BULLETS),
        table([["项目", "进度"], ["道路改造", "80%"]]),
        paragraph(image(1, alt="推进会现场")),
        paragraph(image(2, alt="道路改造效果图")),
        images=[("jpeg", jpeg_bytes(400, 300)), ("png", png_bytes(1600, 900))],
    )
    page.once("dialog", lambda dialog: dialog.accept())  # 将用所选 Word 文档的内容替换正文…
    page.locator("#id_body_docx").set_input_files(
        {"name": "推进会情况.docx", "mimeType": DOCX_TYPE, "buffer": document}
    )

    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(
        page.get_by_text(re.compile("已从 Word 文档《推进会情况.docx》导入正文"))
    ).to_be_visible()
    warning = page.get_by_text(re.compile("第 2 幅图片（“道路改造效果图”）不符合第十七条"))
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("图片须为 JPG 格式（本文件为 PNG）")
    expect(warning).to_contain_text("已换用一键生成的符合规范的版本")
    expect(body.get_by_role("heading", name="一、总体情况", exact=True)).to_be_visible()
    expect(body.get_by_text("全区重点工程按期推进。", exact=True)).to_be_visible()
    # The conforming version is the image chosen in the second picture's block.
    expect(body.locator(".chooser__title", has_text="推进会情况 图2")).to_be_visible()

    # The clerk goes on writing and saves the draft.
    editor = body.locator(".public-DraftEditor-content").first
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("特此报告。")
    saved_to_form(page, "特此报告。")
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text(f"已保存草稿：《{TITLE}》。")).to_be_visible()

    draft = ArticlePage.objects.get(title=TITLE).get_latest_revision_as_object()
    kinds = [block.block_type for block in draft.body]
    assert kinds == ["paragraph", "table", "image", "image"]
    source = draft.body[0].value.source
    assert source.startswith("<h2") and ">一、总体情况</h2>" in source
    assert "特此报告。" in source
    assert "color" not in source and "仿宋" not in source
    assert [block.value["image"].caption for block in draft.body[2:]] == [
        "推进会现场",
        "道路改造效果图",
    ]
    assert sorted((i.width, i.height) for i in GovImage.objects.all()) == [(400, 300), (500, 375)]


def test_text_pasted_from_word_keeps_its_structure_only(officer_page):
    page = officer_page
    page.locator("#id_title").fill(TITLE)
    editor = page.locator("[data-contentpath='body'] .public-DraftEditor-content").first
    editor.click()
    editor.evaluate(
        """(element, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", element.innerText);
            element.dispatchEvent(
                new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true})
            );
        }""",
        WORD_CLIPBOARD,
    )
    expect(editor).to_contain_text("全区重点工程")
    saved_to_form(page, "全区重点工程")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))

    draft = ArticlePage.objects.get(title=TITLE).get_latest_revision_as_object()
    # Draftail keeps the features the body allows (R-FMT-1: bold, h2–h4, lists, links) and
    # drops the rest; Word's 标题 1 (h1, the page title's level) arrives as a paragraph.
    source = "".join(block.value.source for block in draft.body if block.block_type == "paragraph")
    for kept in (
        "全区重点工程",
        "<b>按期推进</b>",
        "（斜体说明）",
        "下划线",
        ">道路改造</li>",
        ">管网改造</li></ul>",
        "项目",
    ):
        assert kept in source, source
    for dropped in (
        "style",
        "color",
        "font",
        "黑体",
        "仿宋",
        "class",
        "<i>",
        "<u>",
        "<span",
        "o:p",
        "<table",
    ):
        assert dropped not in source, source
