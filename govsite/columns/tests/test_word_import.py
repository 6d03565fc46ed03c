"""从 Word 文档导入 (R-FMT-1, R-FMT-2; 第十七条): a .docx becomes the body, in the real editor.

The documents are real .docx packages written by ``govsite.testing.docx``; the pictures are
made with Pillow (``govsite.images.tests.factories``).
"""

import io
import re
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from govsite import wordfiles
from govsite.images.models import GovImage
from govsite.images.tests.factories import bomb_png, jpeg_bytes, opened, png_bytes
from govsite.testing.docx import (
    BULLETS,
    NUMBERS,
    commented,
    deleted,
    docx,
    heading,
    image,
    inserted,
    link,
    paragraph,
    run,
    table,
)
from govsite.testing.helpers import add_article, article_form, sub_column

from ..models import ArticlePage

OFFICER = "秘书科-信息员"  # 秘书科 owns 重点工程

NOTICE = docx(
    paragraph("关于召开重点工程推进会的通知", style="a3"),
    heading("一、会议时间"),
    paragraph(
        run("　　11月24日上午9时，", color="FF0000", font="仿宋_GB2312", size=32),
        run("请准时参加", bold=True),
        run("（不得请假）", italic=True),
        "。",
        style="a5",
    ),
    heading("（一）参会人员", 2),
    paragraph("各科室负责人", numbering=BULLETS),
    paragraph("信息员", numbering=BULLETS, level=1),
    paragraph("签到", numbering=NUMBERS),
    paragraph("入座", numbering=NUMBERS),
    table([["项目", "负责科室"], ["道路改造", ["秘书科", "综合科"]]]),
    paragraph(inserted("会议材料另行印发。"), deleted("会议取消。"), commented("请各科室配合。")),
    paragraph("详见", link("区政府网站", 1), "。"),
    paragraph(link("点我", 2)),
    links=["https://www.example.gov.cn/", "javascript:alert(1)"],
)


def upload(data, name="通知.docx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def add_url(column, model_name="articlepage"):
    return reverse("wagtailadmin_pages:add", args=["columns", model_name, column.pk])


def blocks(page):
    return [(block.block_type, block.value) for block in page.body]


def texts(page):
    return [value.source for kind, value in blocks(page) if kind == "paragraph"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer(client, role_users):
    client.force_login(role_users[OFFICER])
    return role_users[OFFICER]


# The document into parts ---------------------------------------------------------------------


def test_structure_is_kept_and_styles_are_dropped():
    body = wordfiles.read_docx(NOTICE)
    kinds = [part[0] for part in body.parts]
    assert kinds == ["text", "table", "text"]
    before, after = body.parts[0][1], body.parts[2][1]
    # Word's title and headings one level down (h1 is the page's own title).
    assert before.startswith("<h2>关于召开重点工程推进会的通知</h2><h2>一、会议时间</h2>")
    # Indentation, colour, font, size and italics gone; bold kept.
    assert "<p>11月24日上午9时，<b>请准时参加</b>（不得请假）。</p>" in before
    assert "<h3>（一）参会人员</h3>" in before
    assert "<ul><li>各科室负责人<ul><li>信息员</li></ul></li></ul>" in before
    assert "<ol><li>签到</li><li>入座</li></ol>" in before
    for trace in ("style", "color", "font", "仿宋", "<em>", "<i>", "<span", "class="):
        assert trace not in before + after
    # Tracked changes as accepted; comments left out.
    assert "<p>会议材料另行印发。请各科室配合。</p>" in after
    assert "会议取消" not in after and "批注" not in after
    # Web links kept; any other scheme gives its text only.
    assert '<p>详见<a href="https://www.example.gov.cn/">区政府网站</a>。</p>' in after
    assert after.endswith("<p>点我</p>")
    assert body.parts[1][1:] == ([["项目", "负责科室"], ["道路改造", "秘书科\n综合科"]], False)


def test_pictures_keep_their_place_and_alt_text():
    data = docx(
        paragraph("会前", image(1, alt="会议现场"), "会后"),
        paragraph(image(2, alt="图片包含 人员, 室内 描述已自动生成")),
        images=[("jpeg", jpeg_bytes(400, 300)), ("png", png_bytes(40, 30))],
    )
    parts = wordfiles.read_docx(data).parts
    assert [part[0] for part in parts] == ["text", "image", "text", "image"]
    assert parts[1][1].alt == "会议现场" and parts[1][1].label == "第 1 幅图片（“会议现场”）"
    assert parts[3][1].alt == ""  # Word's own guess describes nothing
    assert parts[0][1] == "<p>会前</p>" and parts[2][1] == "<p>会后</p>"


def _ole(*streams):
    """The start of a compound file (.doc, .wps, encrypted .docx) naming ``streams``."""
    return wordfiles.OLE_MAGIC + b"\x00" * 504 + b"".join(s.encode("utf-16-le") for s in streams)


def _zip(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", wordfiles.EMPTY),
        (_ole("WordDocument", "1Table"), "请在 WPS 或 Word 中另存为 .docx 后再导入"),
        (_ole("EncryptionInfo", "EncryptedPackage"), "文档设置了打开密码（已加密）"),
        (b"%PDF-1.7\n1 0 obj\n", wordfiles.NOT_DOCX),
        ("　　这是一个纯文本文件。".encode(), wordfiles.NOT_DOCX),
        (_zip({"xl/workbook.xml": "<workbook/>"}), wordfiles.NOT_DOCX),  # a spreadsheet
        (NOTICE[: len(NOTICE) // 2], wordfiles.DAMAGED),
        (
            _zip({"word/document.xml": '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'}),
            wordfiles.DAMAGED,
        ),
        (docx(paragraph("　　"), paragraph("")), wordfiles.NO_TEXT),
    ],
    ids=["empty", "doc", "encrypted", "pdf", "text", "xlsx", "truncated", "doctype", "blank"],
)
def test_what_is_not_a_readable_word_document_is_refused(data, message):
    with pytest.raises(wordfiles.WordFileError) as refused:
        wordfiles.read_docx(data)
    assert message in str(refused.value)


def test_a_zip_bomb_is_refused_before_it_is_inflated(monkeypatch):
    monkeypatch.setattr(wordfiles, "MAX_PART_BYTES", 1024 * 1024)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * (2 * 1024 * 1024) + b"/>")
    assert len(out.getvalue()) < 10_000
    with pytest.raises(wordfiles.WordFileError, match="已损坏"):
        wordfiles.read_docx(out.getvalue())


# In the editor ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_editor_offers_the_word_import_and_starts_with_a_text_block(client, officer):
    html = client.get(add_url(sub_column("重点工程"))).content.decode()
    assert "从 Word 文档导入" in html
    assert 'name="body_docx"' in html and 'accept=".docx,.doc' in html
    # The body's initial value: one text block, not a bare ⊕.
    assert "&quot;type&quot;: &quot;paragraph&quot;" in html or '"type": "paragraph"' in html


@pytest.mark.django_db
def test_officer_creates_an_article_from_a_word_document(client, officer):
    column = sub_column("重点工程")
    response = client.post(
        add_url(column), {**article_form("重点工程推进会通知"), "body_docx": upload(NOTICE)}
    )
    assert response.status_code == 302
    article = ArticlePage.objects.child_of(column).get(title="重点工程推进会通知")
    assert [kind for kind, _ in blocks(article)] == ["paragraph", "table", "paragraph"]
    assert "<b>请准时参加</b>" in texts(article)[0]
    table_value = blocks(article)[1][1]
    assert table_value["data"] == [["项目", "负责科室"], ["道路改造", "秘书科\n综合科"]]
    # The typed body was replaced; the draft holds the same.
    assert "正文。" not in "".join(texts(article))
    draft = article.get_latest_revision_as_object()
    assert texts(draft) == texts(article)
    # The public page shows the table and no trace of Word's styles.
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(
        "已从 Word 文档《通知.docx》导入正文（2 段文字、1 个表格、0 幅图片）" in m for m in said
    )


@pytest.mark.django_db
def test_pictures_go_through_the_image_rule(client, officer):
    data = docx(
        paragraph("会议现场照片如下。"),
        paragraph(image(1, alt="推进会现场")),  # a conforming JPEG
        paragraph(image(2, alt="道路改造效果图")),  # a wide PNG: broken three ways
        paragraph(image(3)),  # conforming, but no alt text for its 文字说明
        images=[
            ("jpeg", jpeg_bytes(400, 300)),
            ("png", png_bytes(1600, 900)),
            ("jpeg", jpeg_bytes(400, 300)),
        ],
    )
    article = add_article(sub_column("重点工程"))
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        {**article_form(article.title), "body_docx": upload(data, "现场照片.docx")},
    )
    assert response.status_code == 302
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    kinds = [kind for kind, _ in blocks(draft)]
    assert kinds == ["paragraph", "image", "image", "image"]
    first, second, third = (value for kind, value in blocks(draft) if kind == "image")

    assert first["image"].caption == "推进会现场"
    assert first["image"].title == "现场照片 图1"
    with first["image"].file.open() as stored:
        assert opened(stored.read()).size == (400, 300)

    # The one-click conforming version took the wide PNG's place.
    assert second["image"].caption == "道路改造效果图"
    with second["image"].file.open() as stored:
        version = opened(stored.read())
    assert (version.format, version.size) == ("JPEG", (500, 375))

    assert third["image"] is None  # its place kept, to be filled before submission
    assert GovImage.objects.count() == 2

    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(
        "第 2 幅图片（“道路改造效果图”）不符合第十七条（图片须为 JPG 格式（本文件为 PNG）" in m
        and "已换用一键生成的符合规范的版本" in m
        for m in said
    ), said
    assert any("第 3 幅图片没有文字说明" in m and "空的图片区块" in m for m in said), said


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_ole("WordDocument"), "请在 WPS 或 Word 中另存为 .docx 后再导入"),
        (_ole("EncryptedPackage"), "文档设置了打开密码"),
        (b"%PDF-1.7\n", "文件不是 Word 文档（.docx）"),
        (
            docx(
                paragraph(image(1, alt="正常")),
                paragraph(image(2, alt="异常图片")),
                images=[("jpeg", jpeg_bytes(400, 300)), ("png", bomb_png())],
            ),
            "Word 文档中的第 2 幅图片（“异常图片”）：图片像素数超过上限",
        ),
    ],
    ids=["doc", "encrypted", "not-docx", "bomb"],
)
def test_a_refused_document_loses_nothing_typed(client, officer, data, message):
    article = add_article(sub_column("重点工程"))
    revisions = article.revisions.count()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        {
            **article_form("改过的标题", subtitle="副标题也保留"),
            "body_docx": upload(data, "通知.docx"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="改过的标题"' in html and 'value="副标题也保留"' in html
    assert re.search(r"u6b63\W*u6587\W*u3002", html)  # the body as typed (正文。)
    assert article.revisions.count() == revisions
    assert GovImage.objects.count() == 0


@pytest.mark.django_db
def test_a_document_over_the_limit_is_refused_with_the_limit(client, officer, settings):
    settings.GOVSITE_WORD_IMPORT_MAX_BYTES = 2048
    data = docx(paragraph("正文"), images=[("jpeg", jpeg_bytes(400, 300))])
    assert len(data) > 2048
    response = client.post(
        add_url(sub_column("重点工程")), {**article_form("标题"), "body_docx": upload(data)}
    )
    assert response.status_code == 200
    assert "Word 文档不得超过 2.0\xa0KB" in response.content.decode()


@pytest.mark.django_db
def test_a_txt_and_a_word_file_together_are_refused(client, officer):
    response = client.post(
        add_url(sub_column("重点工程")),
        {
            **article_form("标题"),
            "body_docx": upload(NOTICE),
            "body_txt": SimpleUploadedFile("a.txt", "正文".encode()),
        },
    )
    assert response.status_code == 200
    assert "请只选择一个文件导入正文" in response.content.decode()


@pytest.mark.django_db
def test_a_kept_place_for_a_picture_may_stay_empty_in_a_draft_only(client, officer):
    """The empty image block a picture without 文字说明 leaves: saved with the draft (Wagtail
    defers required fields for drafts), asked for when the article is submitted for review."""
    article = add_article(sub_column("重点工程"))
    data = docx(paragraph("正文"), paragraph(image(1)), images=[("jpeg", jpeg_bytes(400, 300))])
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    client.post(url, {**article_form(article.title), "body_docx": upload(data)})
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    kept = draft.body[1]
    assert (kept.block_type, kept.value["image"]) == ("image", None)
    form = article_form(article.title)
    form.update(
        nested_form_data(
            {
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>正文</p>")),
                        ("image", {"image": "", "caption": ""}),
                    ]
                )
            }
        )
    )
    saved = client.post(url, form)
    assert saved.status_code == 302
    revisions = article.revisions.count()
    submitted = client.post(url, {**form, "action-submit": "1"})
    assert submitted.status_code == 200
    assert article.revisions.count() == revisions
