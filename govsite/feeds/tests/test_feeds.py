"""RSS feeds of the dynamic columns (issue 17 item 4; SPEC §11 R-SITE-1; rules in ``rules``):
valid RSS 2.0 with the site's real address, only published public content, the same few queries
whatever the size of the column, stored as files beside the lists and purged with them."""

import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from govsite.columns import render_cache
from govsite.columns.bootstrap import BootstrapReport, apply_site_address
from govsite.publishing import store
from govsite.testing.helpers import add_article, sub_column

from ..rules import FEED_ITEMS

DOMAIN = "https://www.example.gov.cn"


@pytest.fixture
def real_domain(settings, site_tree):
    """The site configured at its public address (what bootstrap_site does in production)."""
    settings.GOVSITE_SITE_URL = DOMAIN
    apply_site_address(BootstrapReport())
    return DOMAIN


def feed_url(column):
    return f"{column.url}rss.xml"


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    (channel,) = root.findall("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required), f"channel has no {required}"
    return channel


def items(channel):
    found = []
    for item in channel.findall("item"):
        for required in ("title", "link", "pubDate", "description", "guid"):
            assert item.find(required) is not None, f"item has no {required}"
        parsedate_to_datetime(item.findtext("pubDate"))  # RFC 822, as RSS 2.0 requires
        found.append(item)
    return found


@pytest.mark.django_db
def test_a_dynamic_sub_columns_feed_is_rss_2_with_absolute_links_at_the_real_domain(
    client, real_domain
):
    speeches = sub_column("领导重要讲话")
    article = add_article(speeches, title="在全区工作会议上的讲话", slug="jh")
    channel = parse(client.get(feed_url(speeches)))
    assert channel.findtext("link") == f"{DOMAIN}/zwzt/ldzyjh/"
    assert "领导重要讲话" in channel.findtext("title")
    (item,) = items(channel)
    assert item.findtext("title") == "在全区工作会议上的讲话"
    assert item.findtext("link") == f"{DOMAIN}{article.url}"
    published = article.first_published_at.replace(microsecond=0)
    assert parsedate_to_datetime(item.findtext("pubDate")) == published
    assert item.findtext("category") == article.source_section.name  # 来源
    source = item.find("source")
    assert source.text == "领导重要讲话"
    assert source.get("url") == f"{DOMAIN}/zwzt/ldzyjh/rss.xml"


@pytest.mark.django_db
def test_only_published_public_content_is_in_the_feeds(client, site_tree):
    speeches = sub_column("领导重要讲话")
    add_article(speeches, title="已发布的讲话", slug="a")
    add_article(speeches, title="草稿讲话", slug="b", publish=False)
    withdrawn = add_article(speeches, title="已撤下的讲话", slug="c")
    withdrawn.unpublish()
    private = add_article(speeches, title="仅限内部的讲话", slug="d")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    for url in (feed_url(speeches), feed_url(speeches.get_parent()), "/rss.xml"):
        titles = [item.findtext("title") for item in items(parse(client.get(url)))]
        assert titles == ["已发布的讲话"], url


@pytest.mark.django_db
def test_a_column_feed_gathers_its_dynamic_sub_columns_and_the_site_feed_all(client, site_tree):
    add_article(sub_column("领导重要讲话"), title="讲话", slug="a")
    add_article(sub_column("政府工作报告"), title="报告", slug="b")
    add_article(sub_column("工程进展"), title="进展", slug="c")
    column = sub_column("领导重要讲话").get_parent()
    in_column = {i.findtext("title") for i in items(parse(client.get(feed_url(column))))}
    assert in_column == {"讲话", "报告"}
    everywhere = [i.findtext("title") for i in items(parse(client.get("/rss.xml")))]
    assert everywhere == ["进展", "报告", "讲话"]  # newest first
    assert "最新信息" in parse(client.get("/rss.xml")).findtext("title")


@pytest.mark.django_db
def test_a_fixed_sub_column_and_an_unknown_path_have_no_feed(client, site_tree):
    assert client.get(feed_url(sub_column("办公室简介"))).status_code == 404
    assert client.get("/no-such-column/rss.xml").status_code == 404


@pytest.mark.django_db
def test_a_feed_costs_the_same_queries_for_few_and_many_items(client, site_tree):
    speeches = sub_column("领导重要讲话")
    reports = sub_column("政府工作报告")

    def count(url):
        client.get(url)
        render_cache.changed()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add_article(speeches, title="讲话0", slug="s0")
    urls = [feed_url(speeches), feed_url(speeches.get_parent()), "/rss.xml"]
    few = [count(url) for url in urls]
    for n in range(1, FEED_ITEMS + 5):
        add_article(speeches if n % 2 else reports, title=f"讲话{n}", slug=f"s{n}")
    many = [count(url) for url in urls]
    assert many == few
    assert len(items(parse(client.get("/rss.xml")))) == FEED_ITEMS
    assert max(many) <= 10  # SPEC §12: an uncached public render, at most ten queries


@pytest.mark.django_db
def test_feeds_are_stored_beside_their_lists_and_purged_on_publication(
    client, site_tree, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.GOVSITE_PUBLISHED_ROOT = tmp_path / "published"
    speeches = sub_column("领导重要讲话")
    with django_capture_on_commit_callbacks(execute=True):
        add_article(speeches, title="第一篇", slug="a")
    urls = [feed_url(speeches), feed_url(speeches.get_parent()), "/rss.xml"]
    for url in urls:
        client.get(url)
        assert store.file_for(url).exists(), url
    other = sub_column("工程进展")
    client.get(feed_url(other))
    with django_capture_on_commit_callbacks(execute=True):
        add_article(speeches, title="第二篇", slug="b")
    for url in urls:
        assert not store.file_for(url).exists(), f"{url} still shows the old items"
    assert store.file_for(feed_url(other)).exists()  # another column's feed is unchanged
    assert "第二篇" in client.get(feed_url(speeches)).content.decode()


@pytest.mark.django_db
def test_pages_link_their_feeds_in_the_head(client, site_tree):
    speeches = sub_column("领导重要讲话")
    article = add_article(speeches, title="讲话", slug="a")
    html = client.get(article.url).content.decode()
    assert 'type="application/rss+xml"' in html
    assert 'href="http://localhost/rss.xml"' in html
    assert 'href="http://localhost/zwzt/ldzyjh/rss.xml"' in html
    column_html = client.get(speeches.get_parent().url).content.decode()
    assert 'href="http://localhost/zwzt/rss.xml"' in column_html
    fixed = client.get(sub_column("办公室简介").url).content.decode()
    assert "bgsjj/rss.xml" not in fixed and 'href="http://localhost/rss.xml"' in fixed


@pytest.mark.django_db
def test_the_feed_list_names_every_feed_and_the_site_map_links_it(client, site_tree):
    html = client.get("/rss/").content.decode()
    assert "信息订阅" in html
    for url in ("/rss.xml", "/zwzt/rss.xml", "/zwzt/ldzyjh/rss.xml", "/zwgk/rsrm/rss.xml"):
        assert f"http://localhost{url}" in html, url
    assert "/zwgk/bgsjj/rss.xml" not in html  # 办公室简介 is 相对固定
    assert 'href="/rss/"' in client.get("/sitemap/").content.decode()
