"""CSRF (R-SEC-5): every endpoint a visitor can reach without logging in is listed here from the
URLconf — Django's URL patterns, the routes of every routable page type, and the admin views
that answer an anonymous visitor — and classified. A new endpoint fails
``test_every_public_endpoint_is_classified`` until it is.

Each state-changing endpoint refuses a POST without the CSRF token (403, nothing stored) and
takes the same POST with the token (the positive control: the 403 is the token's doing). Each
read-only endpoint changes nothing when posted to, token or not.
"""

import re

import pytest
from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from govsite import clients
from govsite.mailbox import captcha, cases
from govsite.mailbox.models import Letter
from govsite.mailbox.pages import MailboxPage
from govsite.surveys.models import Response
from govsite.surveys.tests.factories import make_survey, question, survey_column
from govsite.testing.helpers import PASSWORD, add_article, sub_column

pytestmark = pytest.mark.django_db
VISITOR = "198.51.100.20"

# (URL name) or (page type, route name). "post": changes state, needs the token.
STATE_CHANGING = {
    "wagtailcore_authenticate_with_password",  # a page's password (sets the session)
    "wagtaildocs_authenticate_with_password",  # a collection's password (sets the session)
    "wagtailcore_login",  # logging in to read a restricted page
    "wagtailadmin_login",
    "wagtailadmin_password_reset",  # sends an e-mail
    ("MailboxPage", "write"),  # a letter
    ("MailboxPage", "track"),  # spends the query limit
    ("MailboxPage", "rate"),  # the writer's rating of the reply (R-MAIL-7)
    ("SurveyColumnPage", "answer"),  # an answer sheet
}
READ_ONLY = {
    "wagtail_serve",  # every page of the tree
    "wagtaildocs_serve",
    "sitemap_xml",
    "site_map",
    # 订阅与搜索引擎 (govsite/feeds): GET and HEAD only (a POST is 405).
    "rss_feed",
    "rss_list",
    "robots_txt",
    "favicon",
    "site_search",  # GET only (a POST is 405)
    "accessibility_help",  # 无障碍说明: GET only (a POST is 405)
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    ("MailboxPage", "index_route"),
    ("MailboxPage", "captcha_image"),
    ("MailboxPage", "done"),
    ("MailboxPage", "letter"),
    ("MailboxPage", "stats"),
    ("SurveyColumnPage", "index_route"),
    ("SurveyColumnPage", "thanks"),
    ("SurveyColumnPage", "results"),
}
# Posted by browsers without a token, by design: no cookie-bound action, recorded within limits.
TOKENLESS = {
    "csp_report",  # govsite/security/reports.py, tested in govsite/security/tests
}


def url_patterns(patterns=None, prefix=""):
    """(route, name) of every URL pattern."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.name


def admin_prefix():
    return reverse("wagtailadmin_home").lstrip("/")


def anonymous_admin_endpoints(client):
    """Admin views without URL arguments that answer an anonymous GET themselves (instead of
    sending the visitor to the login page)."""
    found = set()
    for route, name in url_patterns():
        if not route.startswith(admin_prefix()) or re.search(r"[<(\\^$]", route):
            continue
        response = client.get("/" + route)
        if response.status_code == 200:
            found.add(name)
    return found


def public_endpoints(client):
    names = {
        name for route, name in url_patterns() if not route.startswith(admin_prefix()) and name
    }
    names |= anonymous_admin_endpoints(client)
    for model in apps.get_models():
        if issubclass(model, RoutablePageMixin):
            names |= {(model.__name__, route.name) for route in model.get_subpage_urls()}
    return names


def test_every_public_endpoint_is_classified(client, site_tree):
    found = public_endpoints(client)
    classified = STATE_CHANGING | READ_ONLY | TOKENLESS
    assert found - classified == set(), "new public endpoints: classify them in this file"
    assert classified - found == set(), "endpoints listed here no longer exist"


# State-changing endpoints: refused without the token -------------------------------------------


def token(client):
    return client.cookies["csrftoken"].value


@pytest.fixture
def strict():
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=VISITOR)


def letter_post(client):
    """The letter form, opened (captcha issued, CSRF cookie set) and filled in."""
    url = MailboxPage.objects.get().url + "write/"
    client.get(url)
    data = {
        "name": "张三",
        "phone": "13900001111",
        "kind": "consult",
        "subject": "关于路灯的建议",
        "text": "路灯坏了。",
        "captcha": captcha.answer_for(client.session),
    }
    return url, data, lambda: Letter.objects.count()


def track_post(client):
    url = MailboxPage.objects.get().url + "track/"
    client.get(url)
    data = {"number": "GT-20260101-0001", "code": "AAAA-BBBB-CCCC-DDDD"}
    # A query is state: it spends one of the source's queries for the hour.
    source = clients.source_digest(RequestFactory().get(url, REMOTE_ADDR=VISITOR))
    return url, data, lambda: cache.get(clients._key(clients.QUERIES, source))


def rate_post(client):
    """The rating of an answered letter, with its number and query code."""
    letter, code = cases.receive(name="张三", phone="13900001111", subject="路灯", text="坏了。")
    Letter.objects.filter(pk=letter.pk).update(
        status=Letter.Status.REPLIED, reply="已修好。", replied_at=timezone.now()
    )
    url = MailboxPage.objects.get().url + "rate/"
    client.get(url)
    data = {"number": letter.tracking_number, "code": code, "rating": "satisfied"}
    return url, data, lambda: Letter.objects.get(pk=letter.pk).rating


def answer_post(client):
    survey = make_survey()
    url = survey_column().survey_url(survey)
    client.get(url)
    data = {f"q{question(survey, 1).pk}": "政府门户", f"q{question(survey, 3).pk}": "4"}
    return url, data, lambda: Response.objects.count()


def page_password_post(client):
    article = add_article(sub_column("工作动态"), title="内部通知")
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="Secret-2026"
    )
    client.get(article.url)  # the password form, with its token
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, article.pk])
    data = {"password": "Secret-2026", "return_url": article.url}
    return url, data, lambda: sorted(client.session.get("passed_page_view_restrictions", []))


def document_password_post(client):
    collection = Collection.get_first_root_node().add_child(name="内部文件")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="Secret-2026",
    )
    document = get_document_model().objects.create(
        title="内部文件", collection=collection, file=SimpleUploadedFile("a.txt", b"text")
    )
    client.get(document.url)
    url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    data = {"password": "Secret-2026", "return_url": document.url}
    return url, data, lambda: sorted(client.session.get("passed_collection_view_restrictions", []))


def login_post(make_user, name):
    def prepare(client):
        user = make_user(f"csrf_{name}", "秘书科-信息员")
        url = reverse(name)
        client.get(url)
        data = {"username": user.username, "password": PASSWORD}
        return url, data, lambda: client.session.get("_auth_user_id")

    return prepare


def password_reset_post(make_user):
    def prepare(client):
        make_user("csrf_reset", "秘书科-信息员")
        url = reverse("wagtailadmin_password_reset")
        client.get(url)
        return url, {"email": "csrf_reset@example.cn"}, lambda: len(mail.outbox)

    return prepare


@pytest.fixture
def state_changing(make_user, site_tree):
    return {
        ("MailboxPage", "write"): letter_post,
        ("MailboxPage", "track"): track_post,
        ("MailboxPage", "rate"): rate_post,
        ("SurveyColumnPage", "answer"): answer_post,
        "wagtailcore_authenticate_with_password": page_password_post,
        "wagtaildocs_authenticate_with_password": document_password_post,
        "wagtailcore_login": login_post(make_user, "wagtailcore_login"),
        "wagtailadmin_login": login_post(make_user, "wagtailadmin_login"),
        "wagtailadmin_password_reset": password_reset_post(make_user),
    }


def test_every_state_changing_endpoint_has_a_request_here(state_changing):
    assert set(state_changing) == STATE_CHANGING


@pytest.mark.parametrize("endpoint", sorted(STATE_CHANGING, key=str), ids=str)
def test_a_post_without_the_token_is_refused_and_changes_nothing(strict, state_changing, endpoint):
    url, data, state = state_changing[endpoint](strict)
    before = state()
    refused = strict.post(url, data)
    assert refused.status_code == 403
    assert "页面已过期，请重新提交" in refused.text  # govsite/templates/403_csrf.html
    assert "后退" in refused.text  # how to get back to what was typed
    assert state() == before

    accepted = strict.post(url, {**data, "csrfmiddlewaretoken": token(strict)})
    # The tracking and rating forms answer on their own page; every other one redirects once
    # it has acted.
    answers_in_place = {("MailboxPage", "track"), ("MailboxPage", "rate")}
    assert accepted.status_code == (200 if endpoint in answers_in_place else 302)
    assert state() != before  # the same request, with the token, does what it is for


@pytest.mark.parametrize("endpoint", sorted(STATE_CHANGING, key=str), ids=str)
def test_a_token_from_another_visitor_is_refused(state_changing, endpoint):
    """The token is bound to the visitor's own cookie: a forged page cannot use its own."""
    attacker = Client(enforce_csrf_checks=True)
    attacker.get(reverse("site_map"))
    victim = Client(enforce_csrf_checks=True, REMOTE_ADDR=VISITOR)
    url, data, state = state_changing[endpoint](victim)
    before = state()
    assert victim.post(url, {**data, "csrfmiddlewaretoken": "x" * 64}).status_code == 403
    forged = attacker.cookies.get("csrftoken")
    if forged is not None:
        assert victim.post(url, {**data, "csrfmiddlewaretoken": forged.value}).status_code == 403
    assert state() == before


# Read-only endpoints: a POST changes nothing ------------------------------------------------------


def row_counts():
    """Rows of every model that has a table (django_rq's admin-only dashboard has none)."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.db_table in tables
    }


def test_posting_to_read_only_endpoints_changes_nothing(client, site_tree):
    article = add_article(sub_column("工作动态"), title="工作动态一则")
    survey = make_survey(publish_results=True)
    mailbox = MailboxPage.objects.get()
    document = get_document_model().objects.create(
        title="文件", file=SimpleUploadedFile("b.txt", b"text")
    )
    # Each URL with its answer to a POST carrying the token: the page itself (200), a view
    # that takes GET only (405), or a survey whose results are not public yet (404).
    urls = {
        "/": 200,
        article.url: 200,
        sub_column("工作动态").url: 200,
        document.url: 200,
        reverse("sitemap_xml"): 200,
        reverse("site_map"): 200,
        reverse("site_search") + "?q=工作": 405,
        "/rss.xml": 405,
        reverse("rss_list"): 405,
        reverse("robots_txt"): 405,
        reverse("favicon"): 405,
        reverse("accessibility_help"): 405,
        reverse("wagtailadmin_password_reset_done"): 405,
        mailbox.url: 200,
        mailbox.url + "write/captcha/": 200,
        mailbox.url + "done/": 200,
        mailbox.url + "stats/": 200,
        survey_column().url: 200,
        survey_column().survey_url(survey, "thanks"): 200,
        survey_column().survey_url(survey, "results"): 404,
    }
    strict = Client(enforce_csrf_checks=True)
    for url in urls:
        client.get(url)  # whatever a visit creates (a settings row on first use) exists now
    before = row_counts()
    for url, status in urls.items():
        # Without the token every POST is refused before any view runs.
        assert strict.post(url, {"title": "改过的标题", "q": "x"}).status_code == 403, url
        assert client.post(url, {"title": "改过的标题", "q": "x"}).status_code == status, url
    after = row_counts()
    # A session may be opened (the captcha is issued on a visit); nothing else is written.
    changed = {k for k in before if before[k] != after[k]} - {"sessions.Session"}
    assert changed == set()
    assert client.post(reverse("site_search")).status_code == 405
