"""The public pages' render cache (``govsite.columns.render_cache``) is invalidated by the
publishing purge: after a page is published, unpublished, moved, renamed or deleted, or the
site settings change, the next render shows the new state — in every process, not only in the
one that made the change.

The cache is on in these tests (Django's cache, as configured for the suite). Each change is
made as by another process (``elsewhere``): this process is not told of it, so only the purge,
run when the change commits, can make it visible here.
"""

import re

import pytest
from wagtail.models import Page

from govsite.columns import render_cache
from govsite.columns.models import SiteSettings
from govsite.publishing import store
from govsite.testing.helpers import add_article, sub_column

from .factories import fill


@pytest.fixture
def elsewhere(monkeypatch):
    """Changes are made by another process: this one's render cache is not told directly."""
    monkeypatch.setattr(render_cache, "changed", lambda: None)


@pytest.fixture
def shown(client, site_tree, django_capture_on_commit_callbacks, elsewhere):
    """政务专题 › 领导重要讲话 with three articles, 政策文件 › 政府文件 with one, published
    (committed), and every page below rendered once, so that the render cache is filled."""
    speeches = sub_column("领导重要讲话")
    documents = sub_column("政府文件")
    with django_capture_on_commit_callbacks(execute=True):
        articles = fill(speeches, 3)
        document = add_article(documents, title="关于印发年度工作要点的通知", slug="gzyd")
    pages = {
        "home": "/",
        "topics": speeches.get_parent().url,
        "speeches": speeches.url,
        "article": articles[-1].url,
        "documents": documents.url,
        "document": document.url,
    }
    for path in pages.values():
        assert client.get(path).status_code == 200
    return speeches, documents, articles[-1], document, pages


def html(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def navigation(page):
    return re.search(r'<nav class="site-nav".*?</nav>', page, re.S).group(0)


def sidebar(page):
    return re.search(r'<aside class="sidebar".*?</aside>', page, re.S).group(0)


@pytest.mark.django_db
def test_the_cache_is_used_until_the_purge(client, shown):
    speeches, *_, pages = shown
    topics = speeches.get_parent()
    # Changed in the database behind the application's back (no signal, no purge).
    Page.objects.filter(pk=topics.pk).update(title="重点专题")
    assert "重点专题" not in navigation(html(client, pages["article"]))  # kept in the cache
    store.purge()  # what the change's own purge does when it commits
    for path in pages.values():
        page = html(client, path)
        assert "重点专题" in navigation(page) and "政务专题" not in page, path


@pytest.mark.django_db
def test_a_published_article_shows_at_once(client, shown, django_capture_on_commit_callbacks):
    speeches, _, _, _, pages = shown
    with django_capture_on_commit_callbacks(execute=True):
        add_article(speeches, title="在全区经济工作会议上的讲话", slug="jjgz")
    for key in ("home", "topics", "speeches"):
        assert "在全区经济工作会议上的讲话" in html(client, pages[key]), key


@pytest.mark.django_db
def test_a_new_title_shows_at_once(client, shown, django_capture_on_commit_callbacks):
    _, _, article, _, pages = shown
    old = article.title
    article.title = "往期动态（修订）"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    for key in ("home", "topics", "speeches", "article"):
        page = html(client, pages[key])
        assert "往期动态（修订）" in page and old not in page, key


@pytest.mark.django_db
def test_an_unpublished_article_goes_at_once(client, shown, django_capture_on_commit_callbacks):
    _, _, article, _, pages = shown
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    for key in ("home", "topics", "speeches"):
        assert article.title not in html(client, pages[key]), key
    assert client.get(pages["article"]).status_code == 404


@pytest.mark.django_db
def test_a_moved_article_shows_in_its_new_column(client, shown, django_capture_on_commit_callbacks):
    _, documents, article, _, pages = shown
    with django_capture_on_commit_callbacks(execute=True):
        article.move(documents, pos="last-child")
    assert article.title not in html(client, pages["speeches"])
    assert article.title in html(client, pages["documents"])
    moved = Page.objects.get(pk=article.pk)
    assert "政策文件" in html(client, moved.url)  # its breadcrumb


@pytest.mark.django_db
def test_a_deleted_article_goes_at_once(client, shown, django_capture_on_commit_callbacks):
    _, _, _, document, pages = shown
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    for key in ("home", "documents"):
        assert "关于印发年度工作要点的通知" not in html(client, pages[key]), key


@pytest.mark.django_db
def test_a_renamed_column_shows_in_every_navigation(
    client, shown, django_capture_on_commit_callbacks
):
    speeches, _, _, _, pages = shown
    topics = speeches.get_parent().specific
    topics.title = "重点专题"
    with django_capture_on_commit_callbacks(execute=True):
        topics.save_revision().publish()
    speeches.title = "领导讲话"
    with django_capture_on_commit_callbacks(execute=True):
        speeches.save_revision().publish()
    for key, path in pages.items():
        page = html(client, path)
        assert "重点专题" in page and "政务专题" not in page, key
    for key in ("topics", "speeches"):
        shown_in_sidebar = sidebar(html(client, pages[key]))
        assert "领导讲话" in shown_in_sidebar and "领导重要讲话" not in shown_in_sidebar, key


@pytest.mark.django_db
def test_an_unpublished_sub_column_leaves_the_sidebars(
    client, shown, django_capture_on_commit_callbacks
):
    speeches, _, _, _, pages = shown
    sibling = speeches.get_parent().get_children().exclude(pk=speeches.pk).live().first()
    assert sibling.title in sidebar(html(client, pages["speeches"]))
    with django_capture_on_commit_callbacks(execute=True):
        sibling.unpublish()
    for key in ("topics", "speeches"):
        assert sibling.title not in sidebar(html(client, pages[key])), key


@pytest.mark.django_db
def test_changed_site_settings_show_at_once(client, shown, django_capture_on_commit_callbacks):
    *_, pages = shown
    settings = SiteSettings.for_site(Page.objects.get(depth=2).get_site())
    settings.sponsor = "临江区人民政府"
    with django_capture_on_commit_callbacks(execute=True):
        settings.save()
    for key, path in pages.items():
        assert re.search("主办单位：临江区人民政府[<　]", html(client, path)), key
