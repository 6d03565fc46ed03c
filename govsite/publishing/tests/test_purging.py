"""静态发布, purging (issue 7 item 2; rule ``rules.stale_after``): everything that shows a
changed page is refreshed when it is published, unpublished, moved or deleted — once the change
has committed, and with the page and the homepage rendered again at once."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from govsite.columns.models import ArticlePage, SiteSettings
from govsite.publishing import store
from govsite.testing.helpers import add_article, section, sub_column

from .factories import fill, stored, text, visit


@pytest.fixture
def public(client, site_tree, django_capture_on_commit_callbacks):
    """Two columns, published (committed) and visited: 政务专题 › 领导重要讲话 with two pages
    of articles (so the column has two pages too), and 政策文件 › 政府文件 with one article."""
    speeches = sub_column("领导重要讲话")
    documents = sub_column("政府文件")
    with django_capture_on_commit_callbacks(execute=True):
        articles = fill(speeches)
        document = add_article(documents, title="关于印发年度工作要点的通知", slug="gzyd")
    here = SimpleNamespace(
        speeches=speeches,
        topics=speeches.get_parent().specific,
        article=articles[-1],
        documents=documents,
        policies=documents.get_parent().specific,
        document=document,
    )
    visit(
        client,
        "/",
        "/sitemap/",
        "/sitemap.xml",
        here.topics.url,
        f"{here.topics.url}?page=2",
        here.speeches.url,
        f"{here.speeches.url}?page=2",
        here.article.url,
        here.policies.url,
        here.documents.url,
        here.document.url,
    )
    return here


def assert_purged(*urls):
    for url in urls:
        assert stored(url) is None, url
        assert stored(url, 2) is None, f"{url}?page=2"


def assert_kept(*urls):
    for url in urls:
        assert stored(url) is not None, url


SITE_WIDE = ("/sitemap/", "/sitemap.xml")


@pytest.mark.django_db
def test_publishing_an_article_purges_its_lists_the_homepage_and_the_sitemaps(
    public, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as commit:
        new = add_article(public.speeches, title="在全区经济工作会议上的讲话", slug="jjgz")
    # Not before the publication commits: until then a visitor must see the old version.
    assert_kept("/", public.speeches.url, public.topics.url, *SITE_WIDE)
    assert commit
    for callback in commit:
        callback()
    assert_purged(public.speeches.url, public.topics.url, *SITE_WIDE)
    # Rendered again at once: the new article, and the homepage that lists it.
    assert "在全区经济工作会议上的讲话" in text(new.url)
    assert "在全区经济工作会议上的讲话" in text("/")
    # The article it follows shows it as 上一篇 (issue 17, article tools); what does not show
    # the new article is left alone.
    assert_purged(public.article.url)
    assert_kept(public.policies.url, public.documents.url, public.document.url)


@pytest.mark.django_db
def test_unpublishing_purges_the_page_and_everything_listing_it(
    public, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        public.article.unpublish()
    assert_purged(public.article.url, public.speeches.url, public.topics.url, *SITE_WIDE)
    assert public.article.title not in text("/")
    assert_kept(public.policies.url, public.documents.url, public.document.url)


@pytest.mark.django_db
def test_moving_purges_the_old_and_the_new_places(public, django_capture_on_commit_callbacks):
    old_url = public.article.url
    with django_capture_on_commit_callbacks(execute=True):
        public.article.move(public.documents, pos="last-child")
    moved = ArticlePage.objects.get(pk=public.article.pk)
    assert moved.url != old_url
    assert_purged(old_url, public.speeches.url, public.topics.url, *SITE_WIDE)
    assert_purged(public.documents.url, public.policies.url)
    assert public.article.title in text(moved.url)  # rendered at its new place
    # In 政府文件 the newer document now shows it as 下一篇 (issue 17, article tools).
    assert_purged(public.document.url)


@pytest.mark.django_db
def test_deleting_purges_the_page_and_everything_listing_it(
    public, django_capture_on_commit_callbacks
):
    url = public.document.url
    with django_capture_on_commit_callbacks(execute=True):
        public.document.delete()
    assert_purged(url, public.documents.url, public.policies.url, *SITE_WIDE)
    assert public.document.title not in text("/")
    assert_kept(public.article.url, public.speeches.url, public.topics.url)


@pytest.mark.django_db
def test_renaming_a_column_purges_everything(public, django_capture_on_commit_callbacks):
    public.topics.title = "重点专题"
    with django_capture_on_commit_callbacks(execute=True):
        public.topics.save_revision().publish()
    # Only what was rendered again at once is left: the homepage and the column itself.
    assert store.stored_files() == ["index.html", "zwzt/index.html"]
    assert "重点专题" in text("/") and "政务专题" not in text("/")


@pytest.mark.django_db
def test_a_new_slug_purges_everything(public, django_capture_on_commit_callbacks):
    old_url = public.document.url
    public.document.slug = "ndgzyd"
    with django_capture_on_commit_callbacks(execute=True):
        public.document.save_revision().publish()
    assert stored(old_url) is None
    assert store.stored_files() == ["index.html", "zcwj/zfwj/ndgzyd/index.html"]


@pytest.mark.django_db
def test_site_settings_and_sections_purge_everything(
    client, public, django_capture_on_commit_callbacks
):
    settings = SiteSettings.for_site(public.speeches.get_site())
    settings.phone = "0571-12345678"
    with django_capture_on_commit_callbacks(execute=True):
        settings.save()
    assert store.stored_files() == ["index.html"]
    assert "0571-12345678" in text("/")

    visit(client, public.article.url, public.documents.url)
    mishu = section("秘书科")  # 来源 of every article of 政务专题
    mishu.name = "秘书一科"
    with django_capture_on_commit_callbacks(execute=True):
        mishu.save()
    assert store.stored_files() == ["index.html"]


@pytest.mark.django_db
def test_making_a_page_private_removes_it_at_once(public, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=public.documents, restriction_type="login")
    assert_purged(public.document.url, public.documents.url)
    assert store.stored_files() == ["index.html"]


@pytest.mark.django_db
def test_scheduled_expiry_purges_like_unpublishing(public, django_capture_on_commit_callbacks):
    past = timezone.now() - timedelta(minutes=1)
    ArticlePage.objects.filter(pk=public.document.pk).update(expire_at=past)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    public.document.refresh_from_db()
    assert not public.document.live and public.document.expired
    assert_purged(public.document.url, public.documents.url, public.policies.url, *SITE_WIDE)
    assert_kept(public.article.url, public.speeches.url)


@pytest.mark.django_db
def test_a_rolled_back_change_purges_nothing_later(public, django_capture_on_commit_callbacks):
    """A purge belongs to its transaction: a rolled-back one leaves nothing pending."""
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        public.article.unpublish()
        raise RuntimeError("rolled back")
    with django_capture_on_commit_callbacks(execute=True):
        add_article(public.documents, title="另一份文件", slug="lyfwj")
    assert_kept(public.article.url, public.speeches.url, public.topics.url)
    assert_purged(public.documents.url, public.policies.url)


@pytest.mark.django_db
def test_a_changed_document_purges_everything_a_new_one_nothing(
    public, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    with django_capture_on_commit_callbacks(execute=True):
        document = get_document_model().objects.create(
            title="年度工作要点", file=ContentFile(b"%PDF-1.4", name="gzyd.pdf")
        )
    assert_kept(public.document.url, public.speeches.url, *SITE_WIDE)
    document.title = "年度工作要点（修订）"
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    assert store.stored_files() == ["index.html"]
