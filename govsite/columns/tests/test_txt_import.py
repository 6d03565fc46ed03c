"""R-FMT-1 (第十七条: 网站信息文本为.txt格式): a .txt file becomes the body, in the real editor."""

import codecs

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from govsite.testing.helpers import add_article, article_form, sub_column

from ..models import ArticlePage, ProfilePage

OFFICER = "秘书科-信息员"  # 秘书科 owns 重点工程
NOTICE = "\r\n".join(
    [
        "　　各科室：",
        "",
        "　　现将重点工程推进会有关事项通知如下。",
        "　　一、时间：11月24日上午9时。",
        "",
        "　　特此通知。  ",
    ]
)
PARAGRAPHS = [
    "各科室：",
    "现将重点工程推进会有关事项通知如下。",
    "一、时间：11月24日上午9时。",
    "特此通知。",
]


def txt(data, name="通知.txt"):
    return SimpleUploadedFile(name, data, content_type="text/plain")


def body_paragraphs(page):
    return [(block.block_type, block.value.source) for block in page.body]


def add_url(column, model_name="articlepage"):
    return reverse("wagtailadmin_pages:add", args=["columns", model_name, column.pk])


@pytest.fixture
def officer(client, role_users):
    client.force_login(role_users[OFFICER])
    return role_users[OFFICER]


@pytest.mark.django_db
def test_the_editor_offers_the_import_and_sends_files(client, officer):
    html = client.get(add_url(sub_column("重点工程"))).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "从 .txt 文件导入正文" in html
    assert 'name="body_txt"' in html


@pytest.mark.django_db
def test_officer_creates_an_article_from_a_gb18030_file(client, officer):
    column = sub_column("重点工程")
    response = client.post(
        add_url(column),
        {**article_form("重点工程推进会通知"), "body_txt": txt(NOTICE.encode("gb18030"))},
    )
    assert response.status_code == 302
    article = ArticlePage.objects.child_of(column).get(title="重点工程推进会通知")
    # The file replaced the body typed in the form.
    assert body_paragraphs(article) == [("paragraph", f"<p>{p}</p>") for p in PARAGRAPHS]
    assert body_paragraphs(article.get_latest_revision_as_object()) == body_paragraphs(article)


@pytest.mark.django_db
def test_a_utf8_bom_file_replaces_the_body_of_a_published_article(client, officer):
    article = add_article(sub_column("重点工程"), body=[("paragraph", "<p>旧的正文。</p>")])
    data = codecs.BOM_UTF8 + "第一段 <b>&\n\n　　第二段。\n".encode()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        {**article_form(article.title), "body_txt": txt(data)},
    )
    assert response.status_code == 302
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert body_paragraphs(draft) == [
        ("paragraph", "<p>第一段 &lt;b&gt;&amp;</p>"),
        ("paragraph", "<p>第二段。</p>"),
    ]
    # Live stays as it was until the new version is approved (R-FLOW).
    assert body_paragraphs(ArticlePage.objects.get(pk=article.pk)) == [
        ("paragraph", "<p>旧的正文。</p>")
    ]
    # The history comparison copes with a panel that is not a model field.
    compare = reverse("wagtailadmin_pages:revisions_compare", args=[article.pk, "live", "latest"])
    html = client.get(compare).content.decode()
    assert "旧的正文。" in html and "第二段。" in html


@pytest.mark.django_db
def test_autosave_imports_the_chosen_file(client, officer):
    """Wagtail's autosave posts the whole form, file included, and expects JSON."""
    article = add_article(sub_column("重点工程"))
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        {
            **article_form(article.title),
            "loaded_revision_id": article.latest_revision_id,
            "loaded_revision_created_at": article.latest_revision.created_at.isoformat(),
            "body_txt": txt("自动保存的正文。".encode("gb18030")),
        },
        headers={"Accept": "application/json"},
    )
    assert response.json()["success"], response.content.decode()[:500]
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert body_paragraphs(draft) == [("paragraph", "<p>自动保存的正文。</p>")]


@pytest.mark.django_db
def test_a_binary_file_is_refused_and_nothing_is_lost(client, officer):
    column = sub_column("重点工程")
    before = ArticlePage.objects.child_of(column).count()
    response = client.post(
        add_url(column),
        {
            **article_form("未保存的标题", subtitle="副标题也保留"),
            "body_txt": txt(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="照片.txt"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "文件不是文本文件（含有二进制内容），请另存为 .txt（UTF-8 或 GB18030 编码）后再上传。"
        in html
    )
    assert 'value="未保存的标题"' in html
    assert 'value="副标题也保留"' in html
    assert ArticlePage.objects.child_of(column).count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("通知.docx", "正文".encode(), "只能导入 .txt 文件"),
        ("通知.txt", "繁體中文的網站資訊內容".encode("big5"), "无法识别文件编码"),
        ("通知.txt", "　　\r\n\r\n".encode("gb18030"), "文件中没有文字"),
        ("通知.txt", b"", "文件是空的"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(client, officer, name, data, message):
    article = add_article(sub_column("重点工程"))
    revisions = article.revisions.count()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        {**article_form(article.title), "body_txt": txt(data, name=name)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert article.revisions.count() == revisions


@pytest.mark.django_db
def test_without_a_file_the_body_is_what_was_typed(client, officer):
    article = add_article(sub_column("重点工程"))
    form = article_form(article.title)
    form.update(
        nested_form_data({"body": streamfield([("paragraph", rich_text("<p>手写。</p>"))])})
    )
    client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), form)
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    ((kind, source),) = body_paragraphs(draft)
    assert kind == "paragraph" and "手写。" in source


@pytest.mark.django_db
def test_a_profile_page_imports_too(client, role_users):
    client.force_login(role_users["综合科-信息员"])
    column = sub_column("办公室简介")
    response = client.post(
        add_url(column, "profilepage"),
        {
            **nested_form_data(
                {
                    "title": "区政府办公室简介",
                    "slug": "",
                    "classification": "public",
                    "body": streamfield([]),
                }
            ),
            "body_txt": txt("　　区政府办公室是区政府的综合办事机构。\r\n".encode("utf-16")),
        },
    )
    assert response.status_code == 302
    profile = ProfilePage.objects.child_of(column).get()
    assert body_paragraphs(profile) == [
        ("paragraph", "<p>区政府办公室是区政府的综合办事机构。</p>")
    ]
