"""SPEC §11: the relevance set — each query returns its expected article first — and ranking."""

from datetime import timedelta

from django.utils import timezone

from govsite.search.query import search
from govsite.testing.helpers import add_article, sub_column

from .conftest import paragraph, set_published
from .corpus import RELEVANCE


def first_title(text):
    _, results = search(text)
    hits = results[0:1]
    return hits[0].page.title if hits else None


def test_relevance_set(corpus):
    assert len(RELEVANCE) >= 30
    misses = [
        (query, expected, got)
        for query, expected in RELEVANCE
        if (got := first_title(query)) != expected
    ]
    assert misses == []


def test_unspaced_chinese_is_found_inside_a_title(corpus):
    _, results = search("办公室")
    titles = [hit.page.title for hit in results[0 : len(results)]]
    assert "区政府办公室关于开展政务服务满意度调查的通知" in titles


def test_title_hit_ranks_above_body_hit(site_tree):
    body_only = add_article(
        sub_column("工作动态"),
        title="全区水利工作会议召开",
        body=paragraph("会议要求全面落实河长制，河长制工作要常抓不懈，河长制考核要严格。"),
    )
    in_title = add_article(
        sub_column("工作动态"), title="关于全面落实河长制的通知", body=paragraph("请遵照执行。")
    )
    # The body-only article is newer: it must still come second.
    set_published(in_title, timezone.now() - timedelta(days=30))
    _, results = search("河长制")
    assert [hit.page.pk for hit in results[0:10]] == [in_title.pk, body_only.pk]


def test_newer_ranks_above_older_on_equal_scores(site_tree):
    text = paragraph("请各单位按要求报送冬季安全检查情况。")
    older = add_article(sub_column("工作动态"), title="关于报送冬季安全检查情况的通知", body=text)
    newer = add_article(sub_column("工作动态"), title="关于报送冬季安全检查情况的通知", body=text)
    set_published(older, timezone.now() - timedelta(days=10))
    set_published(newer, timezone.now() - timedelta(days=2))
    _, results = search("冬季安全检查")
    assert [hit.page.pk for hit in results[0:10]] == [newer.pk, older.pk]


def test_every_query_word_must_occur(corpus):
    _, results = search("营商环境 森林防火")
    assert results.count() == 0


def test_pages_across_the_title_and_body_groups_join_up(site_tree):
    """Slices that straddle the title group and the body group list each page once, in order."""
    base = timezone.now() - timedelta(days=20)
    for number in range(3):
        article = add_article(
            sub_column("工作动态"),
            title=f"关于节能降耗的第{number}号通知",
            body=paragraph("详见附件。"),
        )
        set_published(article, base + timedelta(days=number))
    for number in range(4):
        article = add_article(
            sub_column("工作动态"),
            title=f"第{number}季度工作简报",
            body=paragraph("本季度持续推进节能降耗。"),
        )
        set_published(article, base + timedelta(days=number))
    _, results = search("节能降耗")
    whole = [hit.page.title for hit in results[0:10]]
    assert len(whole) == 7 and all("通知" in title for title in whole[:3])
    pieces = [hit.page.title for start in range(0, 7, 2) for hit in results[start : start + 2]]
    assert pieces == whole


def test_counting_stops_at_the_limit(client, site_tree, monkeypatch):
    from govsite.search.query import Results

    monkeypatch.setattr(Results, "limit", 5)
    for number in range(7):
        add_article(sub_column("工作动态"), title=f"第{number}期节水宣传")
    _, results = search("节水宣传")
    assert results.capped and results.count() == 5
    assert len(results[0:10]) == 5
    response = client.get("/search/", {"q": "节水宣传"})
    assert "找到超过 5 条" in response.text
    assert "只列出最相关的前 5 条" in response.text
