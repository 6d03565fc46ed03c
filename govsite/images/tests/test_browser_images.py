"""Browser scenario for R-FMT-2 (第十七条): an officer puts a PNG screenshot into an article
through the image chooser of the page editor, is told why it is refused, takes the conforming
JPEG in one click and saves the draft with it."""

import re

import pytest
from playwright.sync_api import expect

from govsite.columns.models import ArticlePage
from govsite.images.models import GovImage
from govsite.testing.helpers import sub_column

from .factories import png_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

TITLE = "区政府召开常务会议"
CAPTION = "常务会议现场"


def test_officer_accepts_the_conforming_version_in_the_page_editor(
    browser_page, browser_login, make_user, settings
):
    # Wagtail autosaves the editor half a second after a change (creating the article); an
    # explicit 保存草稿 while that request is on its way would create a second one.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    officer = make_user("mishu_officer", "秘书科-信息员")
    column = sub_column("领导重要讲话")  # owned by 秘书科
    page = browser_login(browser_page, officer)

    page.goto(f"/admin/pages/add/columns/articlepage/{column.pk}/")
    page.locator("#id_title").fill(TITLE)
    body = page.locator("[data-contentpath='body']")
    body.get_by_role("button", name="插入区块").first.click()  # before the empty text block
    page.get_by_role("option", name="图片").click()
    body.get_by_role("button", name="选择一个图片").click()

    dialog = page.get_by_role("dialog")
    dialog.get_by_role("tab", name="上传").click()
    dialog.get_by_label("文件").set_input_files(
        {"name": "会场.png", "mimeType": "image/png", "buffer": png_bytes(1024, 768)}
    )
    expect(dialog.get_by_label("标题")).to_have_value("会场")  # Wagtail fills it from the name
    dialog.get_by_label("文字说明").fill(CAPTION)
    dialog.get_by_role("button", name="上传", exact=True).click()

    expect(dialog.get_by_text("图片须为 JPG 格式（本文件为 PNG）")).to_be_visible()
    expect(dialog.get_by_text("尺寸不得超过 500×375 像素（本图为 1024×768）")).to_be_visible()
    preview = dialog.get_by_role("img", name="符合规范的版本预览")
    expect(preview).to_be_visible()
    expect(preview).to_have_attribute("width", "500")
    assert not GovImage.objects.exists()

    dialog.get_by_role("button", name="采用符合规范的版本").click()
    expect(dialog).to_be_hidden()
    expect(body.get_by_text("会场", exact=True)).to_be_visible()  # the chosen image's title

    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(page.get_by_text(re.compile(f"{TITLE}.*已创建"))).to_be_visible()

    image = GovImage.objects.get()
    assert (image.caption, image.uploaded_by_user) == (CAPTION, officer)
    assert (image.width, image.height) == (500, 375)
    assert image.file.name.endswith(".jpg")
    draft = ArticlePage.objects.get(title=TITLE)
    block, text = draft.get_latest_revision_as_object().body
    assert (block.block_type, text.block_type) == ("image", "paragraph")
    assert block.value["image"] == image
    assert block.value.caption_text() == CAPTION  # the block's caption left empty
