"""The listing index (issue 16 item 6, R-OPEN-2): after every lifecycle event of a document its
rows equal the documents' own — a visitor of the 政务公开目录 or the policy library never sees
a withdrawn document, an old 有效性 or a document under its old column."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from govsite.disclosure.catalogue import Listing
from govsite.disclosure.models import DocumentPage, ListedDocument, Validity
from govsite.disclosure.pages import LIBRARY_FACETS, PolicyLibraryPage

from .factories import add_document, document_column, full_metadata, genre

pytestmark = pytest.mark.django_db


def expected():
    """What the index must hold, worked out from the pages themselves."""
    rows = {}
    for page in DocumentPage.objects.live().filter(depth=5):
        published = page.first_published_at
        rows[page.pk] = (
            page.get_parent().pk,
            published,
            timezone.localtime(published).year if published else None,
            page.catalogue_category,
            page.topic_id,
            page.genre_id,
            page.publisher,
            page.validity,
        )
    return rows


def stored():
    fields = ("column_id", "published_at", "year", "catalogue_category", "topic_id")
    fields += ("genre_id", "publisher", "validity")
    return {row[0]: row[1:] for row in ListedDocument.objects.values_list("page_id", *fields)}


def library_titles(query=""):
    from django.http import QueryDict

    listing = Listing(QueryDict(query), PolicyLibraryPage.objects.get(), LIBRARY_FACETS)
    return [document.title for document in listing.page.object_list]


@pytest.fixture
def two(site_tree):
    first = add_document(document_column("政府文件"), title="关于甲的通知", **full_metadata())
    second = add_document(
        document_column("政府办文件"),
        title="关于乙的通知",
        **full_metadata(document_number="临政办发〔2026〕7号", genre=genre("意见")),
    )
    return first, second


def test_publishing_adds_the_document_and_a_draft_is_not_listed(two):
    draft = add_document(title="尚未发布的通知", publish=False)
    assert stored() == expected()
    assert set(stored()) == {two[0].pk, two[1].pk}
    assert draft.pk not in stored()


def test_a_published_change_of_validity_is_in_the_index(two):
    page = two[0]
    page.validity = Validity.REPEALED
    page.validity_changed_on = timezone.localdate()
    page.save_revision().publish()
    assert stored() == expected()
    assert stored()[page.pk][-1] == Validity.REPEALED
    assert library_titles("validity=repealed") == ["关于甲的通知"]


def test_a_withdrawn_document_leaves_the_index_and_comes_back_when_republished(two):
    page = two[0]
    page.unpublish()
    assert page.pk not in stored()
    assert stored() == expected()
    assert "关于甲的通知" not in library_titles()
    page.refresh_from_db()
    page.save_revision().publish()
    assert stored() == expected()
    assert "关于甲的通知" in library_titles()


def test_a_moved_document_is_listed_under_its_new_column(two):
    page, target = two[0], document_column("政府办文件")
    page.move(target, pos="last-child")
    assert stored() == expected()
    assert stored()[page.pk][0] == target.pk
    assert set(library_titles(f"column={target.pk}")) == {"关于甲的通知", "关于乙的通知"}


def test_a_moved_sub_column_keeps_its_documents_and_a_deleted_document_goes(two):
    column = document_column("政府办文件")
    column.move(document_column("政府文件").get_parent(), pos="first-child")
    assert stored() == expected()
    two[0].delete()
    assert two[0].pk not in stored()
    assert stored() == expected()


def test_the_command_rebuilds_the_index_from_the_pages(two):
    ListedDocument.objects.all().delete()
    Page.objects.filter(pk=two[1].pk).update(first_published_at=timezone.now())
    call_command("rebuild_listing_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert stored() == expected()
    assert len(stored()) == 2


def test_a_restricted_document_is_not_listed_and_the_counts_agree(two):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=two[0], restriction_type="login")
    assert library_titles() == ["关于乙的通知"]
    from django.http import QueryDict

    listing = Listing(QueryDict(""), PolicyLibraryPage.objects.get(), LIBRARY_FACETS)
    assert listing.all_counts()["total"] == 1
    assert sum(listing.counts("publisher").values()) == 1
