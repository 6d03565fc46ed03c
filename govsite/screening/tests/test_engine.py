"""R-SCREEN-2 and the single screening entry point: findings carry field and position."""

import pytest

from govsite.columns.models import ArticlePage, Classification
from govsite.conftest import add_article, sub_column

from ..engine import blocking, classification_marks, page_texts, screen_page

# Unsaved pages, but reading their (empty) attachments may touch the database.
pytestmark = pytest.mark.django_db


def article(**fields):
    return ArticlePage(title=fields.pop("title", "关于开展政务公开工作的通知"), **fields)


def test_a_clean_public_article_has_no_findings():
    assert screen_page(article(body=[("paragraph", "<p>各科室：现将有关事项通知如下。</p>")])) == []


@pytest.mark.parametrize("mark", ["秘密★", "机密", "绝密", "内部资料"])
def test_every_mark_is_found_with_its_position(mark):
    text = f"一、{mark}二年"
    findings = screen_page(article(body=[("paragraph", f"<p>{text}</p>")]))
    assert [(f.field, f.matched, f.offset) for f in findings] == [("正文", mark, 2)]
    assert findings[0].blocking
    assert mark in findings[0].snippet


def test_the_longest_mark_is_reported_once():
    findings = screen_page(article(title="机密★文件"))
    assert [(f.matched, f.offset) for f in findings] == [("机密★", 0)]


@pytest.mark.parametrize("level", [c for c in Classification if c != Classification.PUBLIC])
def test_anything_not_public_is_blocked(level):
    (finding,) = screen_page(article(classification=level))
    assert finding.field == "密级" and level.label in finding.rule


def test_captions_tables_subtitles_are_screened():
    page = article(
        subtitle="内部★",
        body=[
            ("table", {"data": [["项目", "绝密"]], "first_row_is_table_header": False}),
        ],
    )
    fields = {(f.field, f.matched) for f in screen_page(page)}
    assert fields == {("副标题", "内部★"), ("表格", "绝密")}


def test_attachment_names_are_screened(site_tree):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from govsite.columns.models import ArticleAttachment

    page = add_article(sub_column("工作动态"))
    document = get_document_model().objects.create(
        title="附件", file=ContentFile(b"text", name="a.txt")
    )
    ArticleAttachment.objects.create(page=page, document=document, title="内部资料汇编")
    assert ("附件名称", "内部资料汇编") in list(page_texts(page))
    assert blocking(screen_page(page))


def test_describe_names_field_position_and_rule():
    (finding,) = screen_page(article(title="关于内部资料的通知"))
    assert finding.describe().startswith("【涉密标识】标题第3个字处「内部资料」")
    assert "上网不涉密，涉密不上网" in finding.describe()


def test_marks_are_data():
    assert "内部资料" in classification_marks()
