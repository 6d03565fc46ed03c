"""办事指南栏目 (R-SERVICE-1): the 业务指南 sub-columns are GuideColumnPage, built so by the
bootstrap and converted so on a database built before this app; what they may hold."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.models import Page

from govsite.columns.models import ArticlePage, ContentPage, ProfilePage, SubColumnPage
from govsite.sections import roles
from govsite.services.models import GuideColumnPage, ServiceGuidePage
from govsite.testing.helpers import add_article

from .factories import make_guide

pytestmark = pytest.mark.django_db

CONVERSION = importlib.import_module("govsite.services.migrations.0002_guide_columns_page_type")


def test_the_bootstrap_builds_both_business_guide_columns_as_guide_columns(site_tree):
    assert sorted(GuideColumnPage.objects.values_list("title", flat=True)) == [
        "业务工作标准",
        "业务工作流程",
    ]
    column = GuideColumnPage.objects.get(slug="ywgzlc")
    assert column.owner_section.name == "综合科"
    assert set(GuideColumnPage.allowed_subpage_models()) == {
        ServiceGuidePage,
        ArticlePage,
        ProfilePage,
    }
    # Wagtail matches parent types exactly: every kind of content may go in a guide column.
    assert "services.GuideColumnPage" in ContentPage.parent_page_types
    assert ServiceGuidePage.allowed_parent_page_models() == [GuideColumnPage]


def test_an_older_plain_sub_column_becomes_a_guide_column(client, site_tree):
    column = GuideColumnPage.objects.get(slug="ywgzlc")
    add_article(column, title="公文处理工作流程")
    plain = ContentType.objects.get_for_model(SubColumnPage)
    with connection.cursor() as cursor:
        table = GuideColumnPage._meta.db_table
        cursor.execute(f"DELETE FROM {table} WHERE subcolumnpage_ptr_id = %s", [column.pk])
    Page.objects.filter(pk=column.pk).update(content_type=plain)
    column.revisions.update(content_type=plain)
    assert type(Page.objects.get(pk=column.pk).specific) is SubColumnPage

    CONVERSION.guide_column_pages(apps, None)

    page = Page.objects.get(pk=column.pk).specific
    assert type(page) is GuideColumnPage and page.owner_section.name == "综合科"
    assert type(page.get_latest_revision_as_object()) is GuideColumnPage
    make_guide(page, title="政府信息公开申请")
    html = client.get(page.url).content.decode()
    assert "公文处理工作流程" in html and "政府信息公开申请" in html


def test_a_guide_column_holding_guides_is_not_taken_offline_or_deleted(role_users):
    """R-FLOW-5: a column's content goes only by a reviewed request; guides count as content."""
    column = GuideColumnPage.objects.get(slug="ywgzbz")
    manager = role_users[roles.SITE_MANAGERS]
    assert column.permissions_for_user(manager).can_delete()
    make_guide(column)
    tester = column.permissions_for_user(manager)
    assert not tester.can_delete() and not tester.can_unpublish()


def test_published_guides_are_screened_again_with_a_new_lexicon(site_tree):
    from govsite.screening.rescreen import published_pages

    guide = make_guide()
    assert guide.pk in set(published_pages().values_list("pk", flat=True))
