"""Content pages: 来源, 发布时间 and 密级 are the system's, not the author's (R-FLOW-4)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from govsite.testing.helpers import add_article, section, sub_column

from ..forms import ContentPageForm
from ..models import ArticlePage, Classification


@pytest.mark.django_db
def test_source_is_the_owning_section(site_tree):
    article = add_article(sub_column("政府文件"))
    assert article.source_section == section("文书科")


@pytest.mark.django_db
def test_source_stays_when_the_column_moves_to_another_section(site_tree):
    """An article keeps the 来源 it was published under."""
    column = sub_column("政府文件").specific  # a 公文栏目 (govsite/disclosure)
    article = add_article(column)
    column.owner_section = section("综合科")
    column.save_revision().publish()
    article.refresh_from_db()
    assert article.source_section == section("文书科")


@pytest.mark.django_db
def test_publication_time_is_set_by_the_system(site_tree):
    draft = add_article(sub_column("工作动态"), publish=False)
    assert draft.first_published_at is None
    draft.get_latest_revision().publish()
    draft.refresh_from_db()
    assert draft.first_published_at is not None


@pytest.mark.django_db
def test_publication_time_cannot_be_moved_backwards(site_tree):
    article = add_article(sub_column("工作动态"))
    published = article.first_published_at
    article.first_published_at = published - timedelta(days=30)
    with pytest.raises(ValidationError, match="不能改为更早的时间"):
        article.save()
    article.refresh_from_db()
    assert article.first_published_at == published


@pytest.mark.django_db
def test_republishing_keeps_the_first_publication_time(site_tree):
    article = add_article(sub_column("工作动态"))
    first = article.first_published_at
    article.title = "修改后的标题"
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.first_published_at == first
    assert article.last_published_at >= first


@pytest.mark.django_db
def test_classification_defaults_to_public(site_tree):
    assert add_article(sub_column("工作动态")).classification == Classification.PUBLIC
    labels = [label for _, label in Classification.choices]
    assert labels == ["公开", "内部", "秘密", "机密", "绝密"]


@pytest.mark.django_db
def test_chinese_title_gets_a_dated_ascii_slug(site_tree):
    article = add_article(sub_column("工作动态"), title="区政府办公室召开专题会议")
    assert article.slug.startswith("t") and article.slug.isascii()
    assert article.url.endswith(f"/{article.slug}/")


@pytest.mark.django_db
def test_editor_form_does_not_require_a_slug(site_tree):
    form_class = ArticlePage.get_edit_handler().get_form_class()
    assert issubclass(form_class, ContentPageForm)
    form = form_class(instance=ArticlePage(), for_user=None, parent_page=sub_column("工作动态"))
    assert not form.fields["slug"].required
