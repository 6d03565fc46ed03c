"""SPEC §12 for 审计日志: the list, its filters, an entry and the export page cost the same
queries for 20 entries and for 200 (and so for a million), and absurd filters answer at once
with a Chinese message — a search too long to run is refused, never scanned."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from govsite.audit.models import AuditEntry, Category
from govsite.audit.selection import SEARCH_MAX_LENGTH
from govsite.sections import roles
from govsite.testing.helpers import screen_queries

# The admin's frame includes the 信息报送 and 监督考核 menus (a few fixed queries each).
INDEX_QUERIES = 34
DETAIL_QUERIES = 33


@pytest.fixture
def auditor(make_user):
    return make_user("shenji", roles.AUDIT_ADMINS)


def entries(number, actor):
    now = timezone.now()
    AuditEntry.objects.bulk_create(
        AuditEntry(
            action="login_failed",
            action_label="登录失败",
            category=Category.LOGIN,
            actor=actor,
            actor_username="mishu_officer",
            summary=f"第 {n} 次",
            ip_address="198.51.100.5",
            detail={"reason": "密码错误"},
            at=now - timedelta(minutes=n),
        )
        for n in range(number)
    )


FILTERS = [
    {},
    {"category": Category.LOGIN, "actor": "mishu_officer"},
    {"action": "login_failed", "ip": "198.51.100.5", "q": "次"},
    {"at_from": "2020-01-01", "at_to": "2100-01-01", "ordering": "at"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", FILTERS)
def test_the_list_costs_the_same_for_20_and_200_entries(client, auditor, query):
    client.force_login(auditor)
    urls = [
        reverse("govsite_audit:index") + "?" + urlencode(query),
        reverse("govsite_audit:index_results") + "?" + urlencode(query),
        reverse("govsite_audit:export", args=["csv"]) + "?" + urlencode(query),
    ]
    entries(20, auditor)
    few = [screen_queries(client, url)[0] for url in urls]
    entries(180, auditor)
    many = [screen_queries(client, url)[0] for url in urls]
    assert few == many and max(many) <= INDEX_QUERIES, (few, many)


@pytest.mark.django_db
def test_an_entry_costs_the_same_whatever_the_log_holds(client, auditor):
    client.force_login(auditor)
    entries(20, auditor)
    url = reverse("govsite_audit:detail", args=[AuditEntry.objects.earliest("at").pk])
    few = screen_queries(client, url)[0]
    entries(180, auditor)
    assert few == screen_queries(client, url)[0] <= DETAIL_QUERIES


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
def test_a_search_too_long_is_refused_in_chinese_and_not_run(client, auditor):
    client.force_login(auditor)
    entries(5, auditor)
    url = reverse("govsite_audit:index")
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, {"q": "次" * 10_000})
    assert response.status_code == 200
    assert any("搜索内容不能超过 100 个字" in message for message in messages_of(response))
    assert not any("LIKE" in query["sql"] for query in context.captured_queries)
    assert reverse("govsite_audit:detail", args=[AuditEntry.objects.first().pk]) not in (
        response.content.decode()
    )
    # At the limit it runs.
    response = client.get(url, {"q": "次" * SEARCH_MAX_LENGTH})
    assert not messages_of(response)
    # The export of it is refused too, saying why.
    export = reverse("govsite_audit:export", args=["csv"]) + "?" + urlencode({"q": "x" * 101})
    for method in (client.get, client.post):
        response = method(export)
        assert response.status_code == 302 and response["Location"].startswith(url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, message",
    [
        ({"at_from": "2026-02-30"}, "日期"),
        ({"at_from": "x" * 10_000, "at_to": "2026-01-01"}, "日期"),
        ({"category": "nope"}, "类别"),
        ({"action": "nope" * 1000}, "操作"),
        ({"ip": "999.1.1.1"}, "IP 地址"),
    ],
)
def test_a_filter_it_cannot_apply_is_named_in_chinese(client, auditor, query, message):
    client.force_login(auditor)
    entries(3, auditor)
    response = client.get(reverse("govsite_audit:index"), query)
    assert response.status_code == 200
    assert [m for m in messages_of(response) if m.startswith("筛选条件有误：" + message)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"p": "1000000000"},
        {"p": "-1"},
        {"at_from": "1026-01-01", "at_to": "2026-12-31"},  # a thousand years
        {"at_from": "2026-03-01", "at_to": "2026-01-01"},  # reversed: nothing in it
        {"actor": "y" * 10_000},
    ],
)
def test_absurd_but_valid_filters_answer_with_a_page(client, auditor, query):
    client.force_login(auditor)
    entries(3, auditor)
    response = client.get(reverse("govsite_audit:index"), query)
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_page_past_the_last_shows_the_last(client, auditor):
    client.force_login(auditor)
    entries(60, auditor)
    oldest = reverse("govsite_audit:detail", args=[AuditEntry.objects.earliest("at").pk])
    response = client.get(reverse("govsite_audit:index"), {"p": "1000000000"})
    assert response.status_code == 200 and oldest in response.content.decode()
