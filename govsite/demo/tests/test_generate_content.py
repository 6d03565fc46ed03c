import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import Page

from govsite.columns.models import ArticlePage, ContentKind, SubColumnPage, published_content
from govsite.demo.generator import ArticleWriter

pytestmark = pytest.mark.django_db


def test_generated_articles_are_live_in_dynamic_sub_columns_and_the_tree_stays_valid(site_tree):
    call_command("generate_content", articles=120, seed=7, batch_size=50, stdout=None)
    articles = ArticlePage.objects.live()
    assert articles.count() == 120
    parents = {page.get_parent().specific for page in articles}
    assert all(type(parent) is SubColumnPage for parent in parents)
    assert {parent.content_kind for parent in parents} == {ContentKind.DYNAMIC}
    assert len(parents) > 5
    assert Page.find_problems() == ([], [], [], [], [])
    column = next(iter(parents))
    assert column.numchild == column.get_children().count()
    # As the public site lists them: newest first, with 来源 from the owning section.
    listed = list(published_content(column))
    assert listed and all(page.source_section_id == column.owner_section_id for page in listed)
    assert listed[0].url.startswith(column.url)


def test_a_second_run_adds_after_the_first(site_tree):
    call_command("generate_content", articles=30, seed=1, stdout=None)
    call_command("generate_content", articles=30, seed=1, stdout=None)
    assert ArticlePage.objects.count() == 60
    assert Page.find_problems() == ([], [], [], [], [])


def test_texts_are_chinese_reproducible_and_varied():
    now = timezone.now()
    assert ArticleWriter(3, now).article() == ArticleWriter(3, now).article()
    writer = ArticleWriter(3)
    articles = [writer.article() for _ in range(200)]
    assert len({article.title for article in articles}) > 150
    assert all(sum("\u4e00" <= c <= "\u9fff" for c in a.title) >= 8 for a in articles)
    assert all(3 <= len(article.body) <= 8 for article in articles)


def test_a_count_below_one_is_refused(site_tree):
    with pytest.raises(CommandError, match="正整数"):
        call_command("generate_content", articles=0, stdout=None)
