"""SPEC §12: each role's dashboard reads in a fixed number of queries, however many drafts,
returns, reviews and letters wait (issue 14). Every panel is filled with 2 rows, then with 12
(more than the 10 shown, so that the "共 N 篇" count is read too), and each role's count must
be the same both times and under the bound."""

import pytest
from django.urls import reverse

from govsite.testing.helpers import login, screen_queries

from . import factories

pytestmark = pytest.mark.django_db

ROLES = [
    "综合科-信息员",
    "综合科-科长",
    "主管主任(综合科、督查室、信息中心)",
    "综合科-网站管理",
]
# 本科室待更新栏目 reads one freshness snapshot (about ten queries, whatever the rows).
BOUND = 90


def _fill(role_users, start, stop):
    officer, chief = role_users["综合科-信息员"], role_users["综合科-科长"]
    for number in range(start, stop):
        factories.draft(officer, f"草稿{number}")
        factories.returned(officer, chief, f"退回稿{number}")
        factories.submitted(officer, f"待科长审核{number}")
        factories.approved_by_chief(officer, chief, f"待主任审核{number}")
        factories.letter_for("综合科", f"承办来信{number}")
        factories.letter_to_triage(f"待分类来信{number}")


def _counts(client, role_users):
    counts = {}
    for role in ROLES:
        client.logout()
        login(client, role_users[role])
        counts[role], _ = screen_queries(client, reverse("wagtailadmin_home"))
    return counts


def test_each_roles_dashboard_costs_the_same_with_2_or_12_rows_a_panel(client, role_users):
    _fill(role_users, 0, 2)
    small = _counts(client, role_users)
    _fill(role_users, 2, 12)
    large = _counts(client, role_users)
    assert large == small, f"2 rows a panel: {small}; 12 rows a panel: {large}"
    assert max(large.values()) <= BOUND, large


@pytest.mark.parametrize("key", ["drafts", "returned", "submitted"])
def test_a_full_list_costs_the_same_with_2_or_12_rows(client, role_users, key, monkeypatch):
    # Pages of 10 rather than 50: the second page exists without building 50 reviews.
    monkeypatch.setattr("govsite.dashboard.views.PAGE_SIZE", 10)
    officer, chief = role_users["综合科-信息员"], role_users["综合科-科长"]
    make = {
        "drafts": lambda n: factories.draft(officer, f"稿{n}"),
        "returned": lambda n: factories.returned(officer, chief, f"稿{n}"),
        "submitted": lambda n: factories.submitted(officer, f"稿{n}"),
    }[key]
    login(client, officer)
    url = reverse("dashboard_list", args=[key])
    for number in range(2):
        make(number)
    small, _ = screen_queries(client, url)
    for number in range(2, 12):
        make(number)
    large, html = screen_queries(client, url)
    assert "第 1 页，共 2 页" in html
    assert large == small, f"{key}: {small} queries with 2 rows, {large} with 10 of 12"
