"""SPEC §11: the public search page — filters, paging, dates, what is never found, safe
highlighting, no cookies."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from wagtail.models import PageViewRestriction

from govsite.columns.models import ColumnPage
from govsite.testing.helpers import add_article, sub_column

from .conftest import paragraph, set_published

URL = "/search/"


def titles(response):
    return [hit.page.title for hit in response.context["page_obj"]]


def test_empty_query_shows_the_form(client, site_tree):
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="q"' in response.text
    assert "找到" not in response.text
    assert client.get(URL, {"q": "  "}).context["searched"] is False


def test_header_search_box_on_every_page(client, site_tree):
    response = client.get("/")
    assert re.search(r'<form class="site-search" method="get" action="/search/"', response.text)
    assert '<label for="site-search-q">站内搜索</label>' in response.text


def test_results_are_highlighted_and_linked(client, corpus):
    response = client.get(URL, {"q": "满意度"})
    assert response.status_code == 200
    assert "找到 1 条" in response.text
    assert "政务服务<mark>满意度</mark>调查" in response.text
    assert corpus["区政府办公室关于开展政务服务满意度调查的通知"].url in response.text
    assert "栏目：工作进展 › 工作动态" in response.text


def test_search_sets_no_cookie_and_may_be_cached(client, corpus):
    response = client.get(URL, {"q": "营商环境"})
    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")
    assert "public" in response["Cache-Control"]
    assert not Session.objects.exists()


def test_title_with_markup_is_escaped(client, site_tree):
    add_article(
        sub_column("工作动态"),
        title="<script>alert(1)</script>关于防范电信诈骗的提示",
        body=paragraph("谨防&lt;img src=x onerror=alert(2)&gt;电信诈骗。"),
    )
    response = client.get(URL, {"q": "电信诈骗"})
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;关于防范<mark>电信诈骗</mark>" in response.text
    assert "<img src=x" not in response.text
    # A query that matches inside the markup still cannot break out of it.
    response = client.get(URL, {"q": "script 电信诈骗"})
    assert "<script>" not in response.text and "&lt;<mark>script</mark>&gt;" in response.text


def test_drafts_unpublished_and_restricted_pages_are_never_found(client, site_tree):
    add_article(sub_column("工作动态"), title="关于秘密草稿的通知", slug="draft", publish=False)
    unpublished = add_article(sub_column("工作动态"), title="关于下线信息的通知秘密草稿")
    unpublished.unpublish()
    restricted = add_article(sub_column("重点工程"), title="秘密草稿工程简报")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    under_restricted_column = add_article(sub_column("工程进展"), title="秘密草稿工程进展")
    PageViewRestriction.objects.create(
        page=sub_column("工程进展"), restriction_type=PageViewRestriction.LOGIN
    )
    live = add_article(sub_column("工作动态"), title="公开信息", body=paragraph("正文。"))
    # A live page's unpublished draft is not searchable either.
    live.title = "公开信息秘密草稿"
    live.save_revision()
    response = client.get(URL, {"q": "秘密草稿"})
    assert response.context["total"] == 0
    assert under_restricted_column.live and restricted.live


def test_filter_by_column_and_sub_column(client, corpus):
    column = ColumnPage.objects.get(title="政务公开")
    response = client.get(URL, {"q": "公开", "column": column.pk})
    assert titles(response)
    for hit in response.context["page_obj"]:
        assert hit.page.path.startswith(column.path)
    everywhere = client.get(URL, {"q": "公开"}).context["total"]
    assert response.context["total"] < everywhere

    sub = sub_column("政务公开目录")
    response = client.get(URL, {"q": "公开", "column": column.pk, "sub": sub.pk})
    assert set(titles(response)) == {
        "2026年政府信息公开工作年度报告",
        "区政府办公室2026年度部门预算公开说明",
        "政府采购意向公开（第三季度）",
        "区政府办公室2025年度财政决算公开",
    }
    assert f'<option value="{sub.pk}" selected>' in response.text


def test_filter_by_date_range(client, site_tree):
    zone = timezone.get_current_timezone()
    for day in (1, 10, 20):
        article = add_article(sub_column("工作动态"), title=f"十一月{day}日防汛值班安排")
        set_published(article, datetime(2026, 11, day, 23, 30, tzinfo=zone))
    response = client.get(URL, {"q": "防汛值班", "start": "2026-11-10", "end": "2026-11-20"})
    assert sorted(titles(response)) == ["十一月10日防汛值班安排", "十一月20日防汛值班安排"]
    response = client.get(URL, {"q": "防汛值班", "end": "2026-11-01"})
    assert titles(response) == ["十一月1日防汛值班安排"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"start": "2026-13-45"}, "日期格式不正确"),
        ({"end": "昨天"}, "日期格式不正确"),
        ({"start": "2026-11-20", "end": "2026-11-01"}, "结束日期不能早于开始日期"),
        ({"column": "999999"}, "所选栏目不存在"),
    ],
)
def test_bad_filters_get_a_chinese_message(client, site_tree, params, message):
    response = client.get(URL, {"q": "防汛", **params})
    assert response.status_code == 200
    assert message in response.text
    assert response.context["searched"] is False


def test_paging(client, site_tree):
    base = timezone.now() - timedelta(days=40)
    for number in range(1, 26):
        article = add_article(
            sub_column("工作动态"), title=f"第{number}期政务信息简报", body=paragraph("简报。")
        )
        set_published(article, base + timedelta(days=number))
    first = client.get(URL, {"q": "政务信息简报"})
    assert first.context["total"] == 25
    assert titles(first)[0] == "第25期政务信息简报"  # equal scores: newest first
    assert len(titles(first)) == 10
    assert "第 1 页 / 共 3 页" in first.text
    assert "q=%E6%94%BF%E5%8A%A1%E4%BF%A1%E6%81%AF%E7%AE%80%E6%8A%A5&amp;page=2" in first.text
    third = client.get(URL, {"q": "政务信息简报", "page": "3"})
    assert titles(third) == [f"第{n}期政务信息简报" for n in range(5, 0, -1)]
    assert titles(client.get(URL, {"q": "政务信息简报", "page": "abc"})) == titles(first)
    assert titles(client.get(URL, {"q": "政务信息简报", "page": "999"})) == titles(third)
    pages = [client.get(URL, {"q": "政务信息简报", "page": n}) for n in (1, 2, 3)]
    seen = [title for page in pages for title in titles(page)]
    assert len(set(seen)) == 25


def test_did_you_mean_drops_the_word_that_finds_nothing(client, corpus):
    response = client.get(URL, {"q": "营商环境 火星基地"})
    assert response.context["total"] == 0
    assert "您是不是要找" in response.text
    assert response.context["suggestions"][0] == "营商环境"


def test_did_you_mean_offers_a_close_dictionary_word(client, corpus):
    response = client.get(URL, {"q": "一网同办"})
    assert response.context["total"] == 0
    assert "一网通办" in response.context["suggestions"]


def test_post_is_refused(client, site_tree):
    assert client.post(URL, {"q": "防汛"}).status_code == 405
