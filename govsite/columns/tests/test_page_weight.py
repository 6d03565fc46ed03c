"""Issue 17 item 6 (R-SITE-1): the homepage weighs at most 60 KB before its images — its HTML and
every stylesheet and script it links — and each kind of public page links the stylesheet of its
own app (after site.css), no other: site.css holds only what every page uses."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from wagtail.models import Site

from govsite.columns.models import HOME_ITEMS_PER_COLUMN, ColumnPage, SiteSettings, SubColumnPage
from govsite.disclosure.models import DocumentColumnPage
from govsite.disclosure.tests.factories import add_document, full_metadata
from govsite.images.tests.factories import make_image
from govsite.mailbox.pages import MailboxPage
from govsite.mailbox.tests.factories import stored as stored_letter
from govsite.services.tests.factories import make_guide
from govsite.surveys.tests.factories import make_survey, survey_column
from govsite.testing.helpers import add_article, sub_column
from govsite.topics.tests.test_query_counts import topics

from .. import render_cache

HOMEPAGE_BUDGET = 60 * 1024  # bytes: HTML + CSS + JS, before images (issue 17 item 6)
SITE_CSS = "css/site.css"

ASSET = re.compile(r'<link rel="stylesheet" href="([^"]+)"|<script[^>]* src="([^"]+)"')
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


def static_name(address):
    assert address.startswith(settings.STATIC_URL), address
    return address.removeprefix(settings.STATIC_URL)


def static_bytes(address):
    """The size of the static file at ``address``, read where the static finders find it."""
    path = finders.find(static_name(address))
    assert path, f"{address}: no such static file"
    with open(path, "rb") as handle:
        return len(handle.read())


def stylesheets(html):
    """The static names of the stylesheets ``html`` links, in the order it links them."""
    return [static_name(address) for address in STYLESHEET.findall(html)]


def html_of(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def long_title(n, subject):
    return f"区政府召开第{n + 1}次专题会议研究部署{subject}工作并提出具体要求"


def fill_the_homepage():
    """A homepage as full as the demo's: a headline with its 题图, the four 图片新闻, every
    column's block full, 通知公告, 办事指南, the mailbox's figures, three open 专栏 with their
    banners, the site's entries."""
    news = sub_column("工作动态")
    add_article(news, title=long_title(0, "优化营商环境"), subtitle="副标题：持续深化改革",
                is_headline=True, title_image=make_image("头条图"))  # fmt: skip
    for n in range(4):
        add_article(news, title=long_title(n, "图片新闻"), title_image=make_image(f"图{n}"))
    notices = DocumentColumnPage.objects.get(slug="tzgg")
    for n in range(HOME_ITEMS_PER_COLUMN):
        add_article(notices, title=long_title(n, "通知公告"))
    for column in ColumnPage.objects.live():
        subs = [sub for sub in column.get_children().live().specific() if type(sub) in
                (SubColumnPage, DocumentColumnPage)]  # fmt: skip
        if subs:
            for n in range(HOME_ITEMS_PER_COLUMN):
                add_article(subs[0], title=long_title(n, column.title), slug=f"{subs[0].slug}-{n}")
    for n in range(4):
        make_guide(title=f"办事指南第{n}项：政府信息公开申请", slug=f"guide-{n}")
    for _ in range(3):
        stored_letter()
    topics(3)
    site = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site.new_media = "区政府办公室微信公众号：https://mp.weixin.qq.com/lj"
    site.party_emblem_url = "https://bszs.conac.cn/sitename?sitecode=1101990001"
    site.annual_report_url = "https://www.example.gov.cn/ndbb/"
    site.error_report_url = "https://zfwzzc.www.gov.cn/"
    site.save()
    render_cache.changed()


@pytest.mark.django_db
def test_the_full_homepage_weighs_at_most_60_kb_before_images(client, site_tree):
    fill_the_homepage()
    html = html_of(client, "/")
    assert html.count('class="home-topic-banner"') == 3 and "home-headline" in html
    assets = [css or js for css, js in ASSET.findall(html)]
    assert f"{settings.STATIC_URL}{SITE_CSS}" in assets and len(assets) == len(set(assets))
    weights = {address: static_bytes(address) for address in assets}
    total = len(html.encode()) + sum(weights.values())
    assert total <= HOMEPAGE_BUDGET, (len(html.encode()), weights)


@pytest.mark.django_db
def test_the_homepage_links_only_site_css_and_its_own_sheet(client, site_tree):
    fill_the_homepage()
    assert stylesheets(html_of(client, "/")) == [SITE_CSS, "columns/home.css"]


def public_addresses():
    """{kind of page: address} for a page of each kind with its app's own look."""
    news = sub_column("工作动态")
    add_article(news, title="区政府召开常务会议")
    topic = topics(1)[0]
    add_article(topic, title="专栏里的文章", board=topic.boards.get(name="工作动态"))
    mailbox = MailboxPage.objects.get()
    return {
        "sub-column list": news.url,
        "article": add_article(news, title="我区完成老旧小区加装电梯改造").url,
        "document": add_document(**full_metadata()).url,
        "topic article": topic.get_children().live().first().url,
        "letter form": mailbox.url + "write/",
        "mailbox": mailbox.url,
        "search results": "/search/?q=常务会议",
        "topic": topic.url,
        "hot topics column": ColumnPage.objects.get(title="热点专题").url,
        "survey": survey_column().survey_url(make_survey()),
        "guide": make_guide().url,
        "site map": "/sitemap/",
    }


# Each kind of page: the sheets it links after site.css.
OWN_SHEETS = {
    "sub-column list": [],
    "article": ["columns/article-tools.css"],
    "document": ["columns/article-tools.css", "disclosure/document.css"],
    "topic article": ["columns/article-tools.css"],
    "letter form": ["mailbox/mailbox.css"],
    "mailbox": ["mailbox/mailbox.css"],
    "search results": ["search/search.css"],
    "topic": ["topics/topics.css"],
    "hot topics column": ["topics/topics.css"],
    "survey": ["govsite/charts.css", "surveys/surveys.css"],
    "guide": ["services/guide.css"],
    "site map": [],
}


@pytest.mark.django_db
def test_each_kind_of_page_links_its_own_sheet_after_site_css(client, site_tree):
    addresses = public_addresses()
    assert addresses.keys() == OWN_SHEETS.keys()
    for kind, address in addresses.items():
        linked = stylesheets(html_of(client, address))
        assert linked == [SITE_CSS, *OWN_SHEETS[kind]], kind
        for name in linked:
            assert finders.find(name), name
    # What only some pages use is not in site.css, and site.css keeps what every page shows.
    with open(finders.find(SITE_CSS), encoding="utf-8") as handle:
        site_css = handle.read()
    for moved in (".home-headline", ".article-tools", ".mailbox-form", ".result-list",
                  ".disclosure-meta", ".topic-cards", ".home-topic-banner"):  # fmt: skip
        assert moved not in site_css, moved
    for kept in (".site-search", ".pin-mark", ".a11y-bar", ".data-table", "@media print"):
        assert kept in site_css, kept
