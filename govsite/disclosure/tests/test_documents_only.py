"""公文栏目 hold documents only (R-OPEN-1, 第十条): the editor offers nothing else there, and a
database built before the disclosure app has its 公文栏目 and their articles converted, the
articles already public numbered in order of publication (migration 0004_documents_only)."""

import importlib
import re
from datetime import datetime

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Comment, Page, WorkflowState

from govsite.columns.models import ArticleAttachment, ArticlePage, ProfilePage, SubColumnPage
from govsite.disclosure.models import (
    DisclosureSettings,
    DocumentColumnPage,
    DocumentPage,
    IndexSequence,
)
from govsite.services.tests.factories import sample_form
from govsite.testing.helpers import login

from .factories import document_column

pytestmark = pytest.mark.django_db

CONVERSION = importlib.import_module("govsite.disclosure.migrations.0004_documents_only")


def test_a_document_column_offers_documents_only(client, make_user):
    column = document_column("政府办文件")
    assert column.specific_class.allowed_subpage_models() == [DocumentPage]
    # Wagtail's "add child page" goes straight to the one type a column may hold.
    login(client, make_user("wenshu_officer", "文书科-信息员"))
    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=[column.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:add", args=["disclosure", "documentpage", column.pk]
    )
    # An article asked for by its address is refused, saying what the column takes.
    response = client.get(
        reverse("wagtailadmin_pages:add", args=["columns", "articlepage", column.pk]),
        follow=True,
    )
    assert "这里只能新建：政府信息公开文件" in response.content.decode()
    assert not ArticlePage.objects.child_of(column).exists()


def moment(*args):
    return timezone.make_aware(datetime(*args))


def old_article(column, title, published_at=None, slug=None, model=ArticlePage, **fields):
    """An article as the editor made it before documents: a revision, published if dated."""
    page = column.add_child(instance=model(title=title, slug=slug, live=False, **fields))
    revision = page.save_revision()
    if published_at is not None:
        revision.publish()
        Page.objects.filter(pk=page.pk).update(
            first_published_at=published_at, last_published_at=published_at
        )
    return Page.objects.get(pk=page.pk).specific


def as_before_the_disclosure_app(column):
    """The column as an older database has it: a plain sub-column (its 公文栏目 row gone, its
    type and its revisions' type plain)."""
    plain = ContentType.objects.get_for_model(SubColumnPage)
    with connection.cursor() as cursor:
        table = DocumentColumnPage._meta.db_table
        cursor.execute(f"DELETE FROM {table} WHERE subcolumnpage_ptr_id = %s", [column.pk])
    Page.objects.filter(pk=column.pk).update(content_type=plain)
    column.revisions.update(content_type=plain)
    assert type(Page.objects.get(pk=column.pk).specific) is SubColumnPage


@pytest.fixture
def older_site(site_tree, make_user):
    """政府文件 before the disclosure app: a plain sub-column with two published articles (the
    later one created first), a draft under review with an attachment and a comment, and a
    profile."""
    officer = make_user("wenshu_officer", "文书科-信息员")
    column = document_column("政府文件")
    # Another document published in the editor already took the year's first number.
    later = old_article(column, "关于印发年度工作要点的通知", moment(2026, 3, 2, 9), "yaodian")
    earlier = old_article(column, "关于调整议事协调机构的通知", moment(2026, 1, 15, 10), "jigou")
    draft = old_article(column, "关于开展安全检查的通知", slug="anquan")
    ArticleAttachment.objects.create(page=draft, document=sample_form("检查表"), title="检查表")
    draft.save_revision(user=officer)
    Comment.objects.create(
        page=draft,
        user=officer,
        text="请核对日期",
        contentpath="title",
        revision_created=draft.get_latest_revision(),
    )
    workflow_state = draft.get_workflow().start(draft, officer)
    profile = old_article(
        column, "政府文件栏目说明", moment(2025, 12, 1, 9), "shuoming", ProfilePage
    )
    as_before_the_disclosure_app(column)
    return {
        "column": column,
        "earlier": earlier,
        "later": later,
        "draft": draft,
        "profile": profile,
        "workflow_state": workflow_state,
        "officer": officer,
    }


def test_an_older_document_column_and_its_articles_become_documents(client, older_site):
    column, draft = older_site["column"], older_site["draft"]
    CONVERSION.documents_only(apps, None)

    column = Page.objects.get(pk=column.pk).specific
    assert type(column) is DocumentColumnPage and column.catalogue_category == "laws"
    latest = column.get_latest_revision_as_object()
    assert type(latest) is DocumentColumnPage and latest.catalogue_category == "laws"

    for name in ("earlier", "later", "draft", "profile"):
        page = Page.objects.get(pk=older_site[name].pk).specific
        assert type(page) is DocumentPage, name
        assert page.publisher == DisclosureSettings.load().publisher
        assert page.catalogue_category == "laws"
        revision = page.get_latest_revision_as_object()
        assert type(revision) is DocumentPage and revision.title == page.title, name
        assert revision.publisher == page.publisher

    # Kept: the attachment, the comment, the review under way.
    document = DocumentPage.objects.get(pk=draft.pk)
    assert [a.title for a in document.attachment_list()] == ["检查表"]
    assert Comment.objects.get(page_id=draft.pk).text == "请核对日期"
    state = WorkflowState.objects.get(pk=older_site["workflow_state"].pk)
    assert state.content_type == ContentType.objects.get_for_model(DocumentPage)
    assert document.current_workflow_state == state
    assert type(document.get_latest_revision().as_object()) is DocumentPage


def test_the_public_converted_documents_are_numbered_in_order_of_publication(older_site):
    code = DisclosureSettings.load().credit_code
    IndexSequence.objects.create(scope=f"{code}/2026", last=7)  # seven 2026 numbers given
    CONVERSION.documents_only(apps, None)

    numbers = {
        name: DocumentPage.objects.get(pk=older_site[name].pk).index_number
        for name in ("profile", "earlier", "later", "draft")
    }
    assert numbers == {
        "profile": f"{code}/2025-00001",
        "earlier": f"{code}/2026-00008",
        "later": f"{code}/2026-00009",
        "draft": None,  # numbered when it is first published, as any document
    }
    assert IndexSequence.objects.get(scope=f"{code}/2026").last == 9


def test_converted_documents_render_and_publish_as_documents(client, older_site, make_user):
    CONVERSION.documents_only(apps, None)
    later = DocumentPage.objects.get(pk=older_site["later"].pk)
    html = client.get(later.url).content.decode()
    assert "关于印发年度工作要点的通知" in html and later.index_number in html

    # The draft opens in the editor and in preview, and its publication numbers it next.
    login(client, make_user("admin_user", superuser=True))
    draft = older_site["draft"]
    assert client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).status_code == 200
    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=[draft.pk]))
    assert preview.status_code == 200 and "关于开展安全检查的通知" in preview.content.decode()
    DocumentPage.objects.get(pk=draft.pk).get_latest_revision().publish()
    published = DocumentPage.objects.get(pk=draft.pk)
    year = timezone.localtime(published.first_published_at).year
    assert re.fullmatch(rf".+/{year}-\d{{5}}", published.index_number)
    assert published.index_number != later.index_number


def test_the_conversion_is_idempotent_and_leaves_a_new_site_alone(site_tree):
    before = list(Page.objects.values_list("pk", "content_type_id").order_by("pk"))
    CONVERSION.documents_only(apps, None)
    CONVERSION.documents_only(apps, None)
    assert list(Page.objects.values_list("pk", "content_type_id").order_by("pk")) == before
    assert not IndexSequence.objects.exists()
