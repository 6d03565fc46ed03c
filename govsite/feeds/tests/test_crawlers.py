"""What crawlers read (issue 17 item 4): robots.txt naming the sitemap, the favicon of 网站设置, and
the site's real address — from GOVSITE_SITE_URL — in sitemap.xml, the feeds and the canonical
links, published copies included; `make run` keeps http://127.0.0.1:PORT."""

import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from wagtail.models import Site

from govsite.columns.models import DEFAULT_EMBLEM, SiteSettings
from govsite.images.tests.factories import make_image
from govsite.publishing import render, store
from govsite.settings.base import site_url
from govsite.testing.helpers import add_article, sub_column

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = "https://www.example.gov.cn"


@pytest.mark.django_db
def test_robots_txt_disallows_the_admin_and_names_the_sitemap_at_the_real_address(
    client, site_tree, settings
):
    settings.GOVSITE_SITE_URL = DOMAIN
    call_command("bootstrap_site", stdout=StringIO())
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *" in text
    assert "Disallow: /admin/" in text and "Disallow: /search/" in text
    assert f"Sitemap: {DOMAIN}/sitemap.xml" in text


@pytest.mark.django_db
def test_the_favicon_is_the_emblem_until_the_office_chooses_an_icon(client, site_tree):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(DEFAULT_EMBLEM)
    assert f'rel="icon" href="{response["Location"]}"' in client.get("/").content.decode()

    image = make_image(title="图标", caption="网站图标", width=128, height=128)
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.favicon = image
    site_settings.save()
    location = client.get("/favicon.ico")["Location"]
    assert "fill-64x64" in location and location.startswith("/media/")
    assert f'rel="icon" href="{location}"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_bootstrap_gives_the_site_its_configured_address_and_everything_carries_it(
    client, site_tree, settings, tmp_path
):
    settings.GOVSITE_PUBLISHED_ROOT = tmp_path / "published"
    article = add_article(sub_column("领导重要讲话"), title="讲话", slug="jh")
    settings.GOVSITE_SITE_URL = DOMAIN
    call_command("bootstrap_site", stdout=StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("www.example.gov.cn", 443, DOMAIN)

    sitemap = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(loc.startswith(f"{DOMAIN}/") for loc in locations)
    assert f"{DOMAIN}{article.url}" in locations
    feed = client.get("/rss.xml").content.decode()
    assert f"<link>{DOMAIN}{article.url}</link>" in feed and "localhost" not in feed

    # The published copy, rendered without a visitor as after a publication.
    response = render.render(article.url)
    assert response.published_file is not None
    stored = store.file_for(article.url).read_text()
    assert f'<link rel="canonical" href="{DOMAIN}{article.url}">' in stored
    assert f'data-url="{DOMAIN}{article.url}"' in stored  # printed under the article
    assert "localhost" not in stored


@pytest.mark.django_db
def test_running_bootstrap_again_changes_nothing(site_tree, settings):
    settings.GOVSITE_SITE_URL = "http://127.0.0.1:8123"
    out = StringIO()
    call_command("bootstrap_site", stdout=out)
    assert "网站地址（设为 http://127.0.0.1:8123）" in out.getvalue()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("127.0.0.1", 8123, "http://127.0.0.1:8123")
    out = StringIO()
    call_command("bootstrap_site", stdout=out)
    assert "网站地址" not in out.getvalue()


def test_make_run_keeps_this_machines_address():
    """`make run PORT=8123` runs the bootstrap with GOVSITE_SITE_URL=http://127.0.0.1:8123."""
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "-C", str(ROOT), "PORT=8123",
         "--eval=print-site-url: ; @echo $(GOVSITE_SITE_URL)", "print-site-url"],
        capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}, timeout=30,
    )  # fmt: skip
    assert result.stdout.strip() == "http://127.0.0.1:8123", result.stderr


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://www.example.gov.cn", "https://www.example.gov.cn"),
        ("https://WWW.Example.gov.cn/", "https://www.example.gov.cn"),
        ("https://www.example.gov.cn:443", "https://www.example.gov.cn"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://www.example.gov.cn:80", "http://www.example.gov.cn"),
    ],
)
def test_the_configured_address_is_normalised(value, expected):
    assert site_url(value) == expected


@pytest.mark.parametrize(
    "value, reason",
    [
        ("www.example.gov.cn", "应以 http:// 或 https:// 开头"),
        ("ftp://www.example.gov.cn", "应以 http:// 或 https:// 开头"),
        ("https://www.example.gov.cn/portal/", "不能带路径"),
        ("https://www.example.gov.cn:8443", "https 只能使用 443 端口"),
        ("http://www.example.gov.cn:http", "端口不是数字"),
    ],
)
def test_a_wrong_address_is_refused_with_the_fix(value, reason):
    with pytest.raises(ImproperlyConfigured, match=reason) as refused:
        site_url(value)
    assert "如 https://www.example.gov.cn" in str(refused.value)
