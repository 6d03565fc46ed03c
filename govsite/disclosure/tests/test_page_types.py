"""政务公开目录 and 政策文件 are page types of their own (site_tree.toml names them): built so by
the bootstrap, converted so on a database built before (migration 0005), and a second bootstrap
changes nothing."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.models import Page

from govsite.columns.bootstrap import bootstrap_site
from govsite.columns.models import ColumnPage, SubColumnPage
from govsite.disclosure.models import DocumentColumnPage, DocumentPage
from govsite.disclosure.pages import CataloguePage, PolicyLibraryPage

from .factories import add_document, full_metadata

pytestmark = pytest.mark.django_db

CONVERSION = importlib.import_module(
    "govsite.disclosure.migrations.0005_catalogue_library_pages_and_interpretations"
)


def test_the_bootstrap_builds_both_and_a_second_run_changes_nothing(site_tree):
    catalogue = CataloguePage.objects.get()
    library = PolicyLibraryPage.objects.get()
    assert (catalogue.slug, library.slug) == ("zwgkml", "zcwj")
    assert [page.slug for page in library.get_children()] == ["zcfg", "zfwj", "zfbwj", "zcjd"]
    assert DocumentPage.allowed_parent_page_models() == [DocumentColumnPage, CataloguePage]
    report = bootstrap_site()
    assert report.created == []
    assert CataloguePage.objects.count() == PolicyLibraryPage.objects.count() == 1


def test_a_missing_interpretation_column_is_added_by_the_bootstrap(site_tree):
    Page.objects.get(slug="zcjd").delete()
    report = bootstrap_site()
    assert any("政策解读" in line for line in report.created)
    assert DocumentColumnPage.objects.get(slug="zcjd").catalogue_category == "laws"


def _make_plain(page, table, link, model):
    plain = ContentType.objects.get_for_model(model)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {link} = %s", [page.pk])
    Page.objects.filter(pk=page.pk).update(content_type=plain)
    page.revisions.update(content_type=plain)


def test_an_older_database_is_converted(client, site_tree):
    catalogue = CataloguePage.objects.get()
    library = PolicyLibraryPage.objects.get()
    guide = add_document(catalogue, title="政府信息公开指南", **full_metadata(document_number=""))
    _make_plain(
        catalogue, CataloguePage._meta.db_table, "documentcolumnpage_ptr_id", DocumentColumnPage
    )
    _make_plain(library, PolicyLibraryPage._meta.db_table, "columnpage_ptr_id", ColumnPage)
    assert type(Page.objects.get(pk=catalogue.pk).specific) is DocumentColumnPage
    assert type(Page.objects.get(pk=library.pk).specific) is ColumnPage

    CONVERSION.specialise(apps, None)

    catalogue = Page.objects.get(pk=catalogue.pk).specific
    library = Page.objects.get(pk=library.pk).specific
    assert type(catalogue) is CataloguePage and catalogue.owner_section.name == "综合科"
    assert type(library) is PolicyLibraryPage
    assert type(catalogue.get_latest_revision_as_object()) is CataloguePage
    assert guide.title in client.get(catalogue.url).text
    assert 'name="q"' in client.get(library.url).text

    CONVERSION.generalise(apps, None)
    assert type(Page.objects.get(pk=catalogue.pk).specific) is DocumentColumnPage
    assert issubclass(DocumentColumnPage, SubColumnPage)
