"""Hardening (issue 6 item 6, R-SEC-5; docs/hardening.md): the security headers of every kind of
response — the public site's strict Content-Security-Policy, the admin's, the preview's — the
same headers on the files nginx serves, production settings that pass ``check --deploy`` with
no warning, and public templates with nothing inline for a policy to forbid.

That the pages still work under these policies in a real browser is
``test_hardening_browser.py``; how documents are served is ``test_hostile_uploads.py``.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.csp import CSP, build_policy

from govsite.mailbox.pages import MailboxPage
from govsite.security.csp import ContentSecurityPolicyMiddleware
from govsite.testing.helpers import add_article, article_form, sub_column

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-src 'none'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'; report-uri /csp-report/"
)


def admin_policy():
    return build_policy(settings.GOVSITE_ADMIN_CSP)


# The policies ----------------------------------------------------------------------------------


def test_the_public_policy_allows_nothing_inline_and_no_other_site():
    assert build_policy(settings.SECURE_CSP) == PUBLIC_POLICY
    for directive, values in settings.SECURE_CSP.items():
        assert CSP.UNSAFE_INLINE not in values and CSP.UNSAFE_EVAL not in values, directive
        assert "*" not in values and "data:" not in values, directive


def test_the_admin_policy_differs_only_where_wagtail_needs_it():
    public, admin = settings.SECURE_CSP, settings.GOVSITE_ADMIN_CSP
    changed = {name for name in admin if admin[name] != public.get(name)}
    assert changed == {"script-src", "style-src", "img-src", "frame-src", "frame-ancestors"}
    assert admin["script-src"] == [CSP.SELF, CSP.UNSAFE_INLINE]  # no 'unsafe-eval'
    assert admin["frame-ancestors"] == [CSP.SELF]  # the preview panel; never another site
    assert admin["object-src"] == [CSP.NONE] and admin["base-uri"] == [CSP.SELF]
    assert admin["form-action"] == [CSP.SELF] and admin["connect-src"] == [CSP.SELF]


def test_the_middleware_is_djangos_in_its_place():
    middleware = settings.MIDDLEWARE
    ours = "govsite.security.csp.ContentSecurityPolicyMiddleware"
    assert ours in middleware and "django.middleware.csp.ContentSecurityPolicyMiddleware" not in (
        middleware
    )
    assert (
        middleware.index(ours)
        == middleware.index("django.middleware.security.SecurityMiddleware") + 1
    )
    from django.middleware.csp import ContentSecurityPolicyMiddleware as Djangos

    assert issubclass(ContentSecurityPolicyMiddleware, Djangos)


# Headers of the application's responses --------------------------------------------------------


def security_headers(response):
    return {
        name: response.get(name)
        for name in (
            "Content-Security-Policy",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Cross-Origin-Opener-Policy",
            "X-Frame-Options",
        )
    }


@pytest.mark.django_db
def test_public_pages_carry_the_strict_policy_and_the_other_headers(client, site_tree):
    article = add_article(sub_column("工作动态"), title="工作动态一则")
    mailbox = MailboxPage.objects.get()
    expected = {
        "Content-Security-Policy": PUBLIC_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
    }
    for url, status in (
        ("/", 200),
        (article.url, 200),
        (sub_column("工作动态").url, 200),
        (reverse("site_search") + "?q=工作", 200),
        (reverse("site_map"), 200),
        (reverse("accessibility_help"), 200),
        (mailbox.url + mailbox.reverse_subpage("write"), 200),
        (mailbox.url + mailbox.reverse_subpage("track"), 200),
        ("/no-such-page/", 404),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        assert security_headers(response) == expected, url


@pytest.mark.django_db
def test_admin_pages_carry_the_admin_policy(client, make_user, site_tree):
    assert client.get(reverse("wagtailadmin_login"))["Content-Security-Policy"] == admin_policy()
    client.force_login(make_user("mishu_officer", "秘书科-信息员"))
    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[sub_column("领导重要讲话").pk]),
        reverse("wagtaildocs:index"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == admin_policy(), url
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_preview_is_framed_by_the_admin_only(client, make_user, site_tree):
    """Wagtail renders a preview through the middleware a second time, for a made-up request to
    the page's public URL; the admin's policy (framing by the admin itself) must win."""
    officer = make_user("mishu_officer", "秘书科-信息员")
    article = add_article(sub_column("领导重要讲话"), title="预览的文章", owner=officer)
    client.force_login(officer)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    assert client.post(url, article_form("预览的文章")).json()["is_valid"]
    response = client.get(url + "?in_preview_panel=true")
    assert response.status_code == 200 and "预览的文章" in response.text
    assert response["Content-Security-Policy"] == admin_policy()
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.django_db
def test_a_views_own_policy_is_kept(client, site_tree):
    """Wagtail's document view sends ``default-src 'none'`` itself; it is not replaced."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="文件", file=SimpleUploadedFile("a.txt", b"text")
    )
    response = client.get(document.url)
    assert response["Content-Security-Policy"] == "default-src 'none'"


@pytest.mark.django_db
def test_no_officers_address_goes_to_gravatar(client, make_user, site_tree):
    client.force_login(make_user("mishu_officer", "秘书科-信息员"))
    html = client.get(reverse("wagtailadmin_home")).text
    assert "gravatar" not in html.lower()
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None


# Nothing inline in the public templates -------------------------------------------------------

PUBLIC_TEMPLATES = [
    "govsite/templates/base.html",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "govsite/templates").glob("[45]*.html")),
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "govsite/columns/templates").rglob("*.html")),
    *sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "govsite/mailbox/templates/mailbox/public").glob("*.html")
    ),
    "govsite/search/templates/search/search.html",
    *sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "govsite/surveys/templates/surveys").rglob("*.html")
        if "/admin/" not in str(p)
    ),
]
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+\s*=|javascript:", re.IGNORECASE
)


@pytest.mark.parametrize("template", PUBLIC_TEMPLATES)
def test_public_templates_have_no_inline_script_style_or_handler(template):
    text = (ROOT / template).read_text(encoding="utf-8")
    assert not INLINE.findall(text), template


def test_the_inline_check_finds_what_it_looks_for():
    for sample in (
        "<script>x()</script>",
        '<p style="color:red">',
        "<style>p{}</style>",
        '<a onclick="x()">',
        '<a href="javascript:x()">',
    ):
        assert INLINE.search(sample), sample
    assert not INLINE.search('<script src="/static/a.js" defer></script><p class="x">')


# Production settings ---------------------------------------------------------------------------


def production_env(tmp_path, **extra):
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "GOVSITE_", "SECURE_", "DJANGO_"))
        and k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")
    }
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "govsite.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "www.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
        "GOVSITE_SITE_URL": "https://www.example.gov.cn",
        **extra,
    }


@pytest.mark.own_settings
def test_production_passes_check_deploy_with_no_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.own_settings
def test_check_deploy_would_notice_a_weaker_configuration(tmp_path):
    """The check can fail: without HSTS (plain HTTP on this machine only) it warns."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(
            tmp_path, ALLOWED_HOSTS="127.0.0.1,localhost", GOVSITE_INSECURE_LOCAL_HTTP="1"
        ),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


REPORT = """
import json, django
django.setup()
from django.conf import settings
from django.utils.csp import build_policy
print(json.dumps({
    "public": build_policy(settings.SECURE_CSP),
    "admin": build_policy(settings.GOVSITE_ADMIN_CSP),
    "hsts": [settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
             settings.SECURE_HSTS_PRELOAD],
    "cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,
                settings.SESSION_COOKIE_HTTPONLY],
    "frame": settings.X_FRAME_OPTIONS,
    "documents": [settings.WAGTAILDOCS_SERVE_METHOD, settings.WAGTAILDOCS_INLINE_CONTENT_TYPES],
}))
"""


def production_report(tmp_path, **extra):
    result = subprocess.run(
        [sys.executable, "-c", REPORT],
        env=production_env(tmp_path, **extra),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.own_settings
def test_production_headers_settings(tmp_path):
    report = production_report(tmp_path)
    assert report["public"] == PUBLIC_POLICY
    assert report["hsts"] == [31536000, True, True]
    assert report["cookies"] == [True, True, True]
    assert report["frame"] == "DENY"
    assert report["documents"] == ["serve_view", ["application/pdf"]]


@pytest.mark.own_settings
def test_media_on_an_object_store_is_allowed_by_the_policies(tmp_path):
    report = production_report(
        tmp_path,
        AWS_STORAGE_BUCKET_NAME="govsite-media",
        AWS_S3_ENDPOINT_URL="https://oss.example.gov.cn/",
    )
    assert "img-src 'self' https://oss.example.gov.cn;" in report["public"]
    assert "media-src 'self' https://oss.example.gov.cn;" in report["public"]
    assert "img-src 'self' data: blob: https://oss.example.gov.cn;" in report["admin"]
    report = production_report(
        tmp_path, AWS_STORAGE_BUCKET_NAME="govsite-media", AWS_S3_CUSTOM_DOMAIN="media.example.cn"
    )
    assert "img-src 'self' https://media.example.cn;" in report["public"]
    report = production_report(tmp_path, GOVSITE_CSP_MEDIA_ORIGINS="https://a.cn, https://b.cn")
    assert "img-src 'self' https://a.cn https://b.cn;" in report["public"]
