"""静态发布, writing (issue 7 item 2): the first anonymous request of a published page stores the
bytes it sends; nothing personal, private, unpublished or dynamic is ever stored."""

import pytest
from django.utils.cache import patch_vary_headers
from wagtail.models import PageViewRestriction

from govsite.columns.models import (
    ColumnPage,
    ProfilePage,
    SupervisionPhonePage,
)
from govsite.mailbox.pages import MailboxPage
from govsite.publishing import rules, store
from govsite.surveys.models import SurveyColumnPage
from govsite.testing.helpers import add_article, sub_column

from .factories import fill, stored, visit


def add_profile(column, title):
    profile = column.add_child(instance=ProfilePage(title=title, live=False))
    profile.save_revision().publish()
    profile.refresh_from_db()
    return profile


@pytest.mark.django_db
def test_first_anonymous_request_stores_the_bytes_it_sends(client, site_tree):
    speeches = sub_column("领导重要讲话")
    article = add_article(speeches, title="在全区政务公开工作会议上的讲话")
    profile = add_profile(sub_column("办公室简介"), "区政府办公室简介")
    urls = [
        "/",
        speeches.get_parent().url,
        speeches.url,
        article.url,
        profile.url,
        SupervisionPhonePage.objects.get().url,
        "/sitemap/",
        "/sitemap.xml",
    ]
    assert store.stored_files() == []
    for url in urls:
        (response,) = visit(client, url)
        assert stored(url).read_bytes() == response.content, url
    assert "zwzt/ldzyjh/index.html" in store.stored_files()
    assert stored("/sitemap/").parent.name == "sitemap"
    assert "在全区政务公开工作会议上的讲话" in stored(article.url).read_text()


@pytest.mark.django_db
def test_a_stored_file_stays_until_it_is_purged(client, site_tree):
    url = ColumnPage.objects.first().url
    visit(client, url)
    stored(url).write_bytes(b"kept")
    visit(client, url)
    assert stored(url).read_bytes() == b"kept"
    store.purge([url])
    assert stored(url) is None
    visit(client, url)
    assert stored(url).read_bytes() != b"kept"


@pytest.mark.django_db
def test_page_n_of_a_list_is_stored_only_when_the_list_has_it(client, site_tree):
    news = sub_column("工作动态")
    fill(news)
    (response,) = visit(client, f"{news.url}?page=2")
    assert stored(news.url, 2).read_bytes() == response.content
    # Page 3 does not exist (page 2 is shown), page 1 is not mapped by nginx, and any other
    # query (search terms, tracking, a second parameter) goes to the application.
    for query in ("page=3", "page=99", "page=1", "page=02", "page=x", "page=2&utm=1", "q=1"):
        visit(client, f"{news.url}?{query}")
    assert store.stored_files() == ["gzjz/gzdt/page-2.html"]
    # An article has no list: ?page=2 of it is not stored either.
    visit(client, f"{news.get_children().first().url}?page=2")
    assert store.stored_files() == ["gzjz/gzdt/page-2.html"]


@pytest.mark.django_db
def test_logged_in_visitors_and_session_cookies_store_nothing(client, make_user, site_tree):
    article = add_article(sub_column("政府文件"), title="关于印发工作要点的通知")
    urls = ["/", article.url, sub_column("政府文件").url, "/sitemap/", "/sitemap.xml"]
    client.force_login(make_user("site_manager", "综合科-网站管理"))
    visit(client, *urls)
    client.logout()
    client.cookies["sessionid"] = "expired-or-forged"
    visit(client, *urls)
    assert store.stored_files() == []


@pytest.mark.django_db
def test_drafts_and_previews_are_never_stored(client, site_tree):
    column = sub_column("政策法规")
    draft = add_article(column, title="尚未发布的草稿", publish=False, slug="draft")
    assert client.get(rules.public_path(draft.url_path)).status_code == 404

    live = add_article(column, title="已发布的版本", slug="live")
    live.title = "修改中的草稿版本"
    live.save_revision()
    # A preview rendered without any visitor's cookie, at the page's own URL: still not stored.
    preview = live.make_preview_request()
    assert preview.status_code == 200 and "修改中的草稿版本" in preview.content.decode()
    assert store.stored_files() == []

    visit(client, live.url)
    assert store.stored_files() == [live.url.strip("/") + "/index.html"]
    assert "已发布的版本" in stored(live.url).read_text()
    assert "修改中的草稿版本" not in stored(live.url).read_text()


@pytest.mark.django_db
@pytest.mark.parametrize("restriction", ["password", "login"])
def test_private_pages_are_never_stored(client, site_tree, restriction):
    personnel = sub_column("人事任免")
    article = add_article(personnel, title="关于某某同志任职的通知")
    PageViewRestriction.objects.create(
        page=personnel, restriction_type=restriction, password="secret-2026"
    )
    for url in (personnel.url, article.url):
        response = client.get(url)
        assert response.status_code == (200 if restriction == "password" else 302)
        assert "关于某某同志任职的通知" not in response.content.decode()
    assert store.stored_files() == []


@pytest.mark.django_db
def test_forms_search_admin_errors_and_redirects_are_never_stored(client, site_tree):
    mailbox, survey = MailboxPage.objects.get(), SurveyColumnPage.objects.get()
    assert not rules.is_published_type(mailbox) and not rules.is_published_type(survey)
    visit(client, mailbox.url, survey.url, "/admin/login/")
    assert client.get("/search/?q=通知").status_code == 200
    assert client.get("/no-such-page/").status_code == 404
    column_url = ColumnPage.objects.first().url
    assert client.get(column_url.rstrip("/")).status_code == 301
    assert client.head(column_url).status_code == 200
    assert store.stored_files() == []


def response_for(client, url):
    response = client.get(url)
    return response.wsgi_request, response


@pytest.mark.django_db
def test_responses_that_differ_between_visitors_are_refused(client, site_tree):
    """The rule itself, on real responses that some view could have made personal."""
    url = ColumnPage.objects.first().url
    store.purge(everything=True)
    request, response = response_for(client, url)
    assert rules.stored_file(request, response) == store.file_for(url)

    request, response = response_for(client, url)
    response.set_cookie("visitor", "1")
    assert rules.stored_file(request, response) is None

    request, response = response_for(client, url)
    patch_vary_headers(response, ["Cookie"])
    assert rules.stored_file(request, response) is None

    request, response = response_for(client, url)
    response["Cache-Control"] = "private, max-age=0"
    assert rules.stored_file(request, response) is None

    request, response = response_for(client, url)
    response.content += b'<input type="hidden" name="csrfmiddlewaretoken" value="x">'
    assert rules.stored_file(request, response) is None


@pytest.mark.django_db
def test_a_purge_during_rendering_wins(client, site_tree):
    """A response rendered before a purge may show what was purged: it is not kept."""
    url = ColumnPage.objects.first().url
    request, response = response_for(client, url)
    target = rules.stored_file(request, response)
    target.unlink()
    started = 0  # the render began before any purge of the tree …
    store.purge([url])  # … and a publication purged it meanwhile
    assert not store.write(target, response.content, started)
    assert not target.exists()
