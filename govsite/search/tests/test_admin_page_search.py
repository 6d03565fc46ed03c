"""Issue 13: the admin's page search (页面 › 搜索) ranks through the segmenting backend in one
statement — the right pages for the role, best first, counted right, in a number of queries
that does not grow with the number of matches."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page

from govsite.columns.models import ArticlePage
from govsite.sections import roles
from govsite.testing.helpers import add_article, login, sub_column

OFFICER = "综合科-信息员"  # edits 综合科's columns (工作动态 …), not 秘书科's (重点工程 …)


def listed(response):
    return [page.pk for page in response.context["object_list"]]


def search_pages(client, query, **params):
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": query, **params})
    assert response.status_code == 200
    return response


def test_the_role_sees_its_own_pages_best_first(client, role_users):
    """Titles that are mostly the query word rank above long titles that mention it (bm25, as
    Wagtail ranks); pages outside the role's columns are not listed, nor counted."""
    mine = sub_column("工作动态")
    long_title = add_article(
        mine, title="区政府办公室关于做好今年第四季度防汛抗旱和河长制考核工作的通知", slug="a"
    )
    short_title = add_article(mine, title="河长制工作简报", slug="b")
    draft = add_article(mine, title="河长制巡河记录", slug="c", publish=False)
    add_article(mine, title="全区水利工作会议召开", slug="d")  # no match
    elsewhere = add_article(sub_column("重点工程"), title="河长制重点工程进展", slug="e")

    login(client, role_users[OFFICER])
    response = search_pages(client, "河长制")
    pks = listed(response)
    assert set(pks) == {long_title.pk, short_title.pk, draft.pk}
    assert pks[-1] == long_title.pk
    assert response.context["paginator"].count == 3
    assert elsewhere.pk not in pks

    login(client, role_users[roles.SITE_MANAGERS])
    assert elsewhere.pk in listed(search_pages(client, "河长制"))


def test_relevance_order_matches_wagtails_own(client, role_users):
    """The same pages in the same order as Wagtail's generic ranking (a per-candidate score
    sub-query), which the one-statement ranking replaces."""
    column = sub_column("工作动态")
    for number, title in enumerate(
        [
            "节能降耗",
            "关于节能降耗的通知",
            "关于开展节能降耗专项检查和公共机构节能降耗考核工作的通知",
            "第三季度节能降耗工作简报",
            "节能降耗节能降耗",
        ]
    ):
        add_article(column, title=title, slug=f"jn{number}")
    pages = Page.objects.filter(pk__in=ArticlePage.objects.values("pk"))
    for results in (pages.autocomplete("节能降耗"), pages.search("节能降耗")):
        assert results._ranking() is not None  # ranked in one statement
        compiler = results.query_compiler
        generic = compiler.search(compiler.get_config(results.backend), None, None, "_score")
        expected = [(page.pk, page._score) for page in generic]
        ranked = [(page.pk, page._score) for page in results.annotate_score("_score")]
        assert [pk for pk, _ in ranked] == [pk for pk, _ in expected]
        assert [score for _, score in ranked] == [score for _, score in expected]
        assert len(ranked) == 5 == results.count()
        assert [page.pk for page in results[1:3]] == [pk for pk, _ in expected[1:3]]


def queries_for_first_page(client):
    with CaptureQueriesContext(connection) as captured:
        response = search_pages(client, "节水宣传")
    assert len(listed(response)) == 20
    # No statement scores each candidate in a sub-query of its own (Wagtail's "_score").
    assert not any('"_score"' in query["sql"] for query in captured)
    return len(captured), response.context["paginator"].count


def test_query_count_does_not_grow_with_matches(client, role_users):
    column = sub_column("工作动态")
    for number in range(20):
        add_article(column, title=f"第{number}期节水宣传", slug=f"js{number}")
    login(client, role_users[roles.SITE_MANAGERS])
    search_pages(client, "节水宣传")  # warm caches (content types, site root paths …)
    few, count = queries_for_first_page(client)
    assert count == 20

    for number in range(20, 200):
        add_article(column, title=f"第{number}期节水宣传", slug=f"js{number}", publish=number % 2)
    # Publishing renewed the render cache, which holds the site settings the admin's title and
    # emblem read: warm it again, as the first measurement was.
    search_pages(client, "节水宣传")
    many, count = queries_for_first_page(client)
    assert count == 200
    assert many == few
    first, second = (listed(search_pages(client, "节水宣传", p=p)) for p in (1, 2))
    assert len(set(first + second)) == 40
