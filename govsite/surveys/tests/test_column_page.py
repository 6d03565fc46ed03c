"""The 服务满意度调查 sub-column is a ``SurveyColumnPage`` (site_tree.toml names the type): on a
new database the bootstrap builds it so, on an older one a migration turns the plain sub-column
into one; either way 综合科 keeps writing articles there (R-TREE-2)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import RequestFactory
from wagtail.models import Page

from govsite.columns.models import SubColumnPage
from govsite.testing.helpers import add_article

from ..models import SurveyColumnPage
from ..rules import client_address

pytestmark = pytest.mark.django_db

CONVERSION = importlib.import_module("govsite.surveys.migrations.0002_myddc_page_type")


def test_an_older_plain_sub_column_becomes_a_survey_page(client, site_tree):
    column = SurveyColumnPage.objects.get()
    add_article(column, title="调查说明")
    # As an older database has it: the same page, a plain sub-column.
    plain = ContentType.objects.get_for_model(SubColumnPage)
    with connection.cursor() as cursor:
        table = SurveyColumnPage._meta.db_table
        cursor.execute(f"DELETE FROM {table} WHERE subcolumnpage_ptr_id = %s", [column.pk])
    Page.objects.filter(pk=column.pk).update(content_type=plain)
    column.revisions.update(content_type=plain)
    assert type(Page.objects.get(pk=column.pk).specific) is SubColumnPage

    CONVERSION.survey_column_page(apps, None)

    page = Page.objects.get(pk=column.pk).specific
    assert type(page) is SurveyColumnPage and page.owner_section.name == "综合科"
    assert type(page.get_latest_revision_as_object()) is SurveyColumnPage
    html = client.get(page.url).content.decode()
    assert "正在进行的调查" in html and "调查说明" in html


@pytest.mark.parametrize(
    "meta, expected",
    [
        ({"REMOTE_ADDR": "203.0.113.7"}, "203.0.113.7"),
        ({"REMOTE_ADDR": "::ffff:203.0.113.7"}, "203.0.113.7"),
        ({"REMOTE_ADDR": "2001:db8:1:2:3:4:5:6"}, "2001:db8:1:2::/64"),
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, "10.0.0.2"),
    ],
)
def test_the_visitor_address(meta, expected):
    """Without trusted proxies X-Forwarded-For is ignored: anybody can write it."""
    assert client_address(RequestFactory().get("/", **meta)) == expected
