"""SPEC §12: an admin screen's query count does not grow with its rows (issue 13).

Each screen is requested by the roles that use it, once over a column of 20 articles and once
over the same column grown to 200 (the explorer shows 20 rows, then a full page of 50), and the
two counts must be equal: a query per row — a listing button that asks about its own page, a
permission check per page — makes the second count larger and fails here. The bound beside it
keeps a constant but careless screen from creeping up unnoticed. ``bench/admin`` measures the
same screens at 10,000 and 100,000 articles.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Task

from govsite.changes import actions as change_actions
from govsite.changes.models import ChangeKind
from govsite.demo.generator import generate_articles
from govsite.sections import roles
from govsite.testing.helpers import add_article, login, screen_queries, sub_column
from govsite.workflow.models import ReviewTask

# Every role that browses 工作动态 (综合科's column), and its screens' bound at any size.
# A director reads 工作动态 (综合科 is among the sections they supervise) without editing it.
READERS = ["主管主任(综合科、督查室、信息中心)"]
EXPLORERS = [roles.SITE_MANAGERS, "综合科-信息员", "综合科-科长", *READERS]
# The admin's frame includes the 信息报送 and 监督考核 menus (a few fixed queries each).
EXPLORER_BOUND = 88
DASHBOARD_USERS = [*EXPLORERS, roles.SYSTEM_ADMINS]
DASHBOARD_BOUND = 88


def _grow(column, to):
    have = column.get_children().count()
    generate_articles(to - have, seed=to, index=False, columns=[column])
    column.refresh_from_db()  # numchild: treebeard lists no children of a leaf


@pytest.fixture
def column(site_tree):
    return sub_column("工作动态")


@pytest.mark.parametrize("role", EXPLORERS)
def test_explorer_of_a_column_queries_do_not_grow_with_its_pages(client, role_users, column, role):
    user = role_users[role]
    login(client, user)
    url = reverse("wagtailadmin_explore", args=[column.pk])
    _grow(column, 20)
    # One article with an open request, so that the rows' buttons have something to find.
    article = column.get_children().live().last().specific
    change_actions.file_request(
        role_users["综合科-信息员"], article, ChangeKind.UNPUBLISH, "内容已过期"
    )
    # The newest edited, so that it heads the explorer (newest edit first) at both sizes: the
    # generated articles have no revision, and how the database orders their tie is its own.
    Page.objects.filter(pk=article.pk).update(latest_revision_created_at=timezone.now())
    small, _ = screen_queries(client, url)
    _grow(column, 200)
    large, html = screen_queries(client, url)
    assert "查看审核中的撤销/删除申请" in html or role in (roles.SITE_MANAGERS, *READERS)
    assert large == small, f"{role}: {small} queries with 20 rows, {large} with 50 of 200"
    assert large <= EXPLORER_BOUND, large
    late, _ = screen_queries(client, url + "?p=4")
    assert late <= large  # the late page holds no open request: fewer buttons to check


@pytest.mark.parametrize("role", DASHBOARD_USERS)
def test_dashboard_queries_do_not_grow_with_the_site(client, role_users, column, role):
    login(client, role_users[role])
    url = reverse("wagtailadmin_home")
    _grow(column, 20)
    small, _ = screen_queries(client, url)
    _grow(column, 200)
    large, _ = screen_queries(client, url)
    assert large == small, f"{role}: {small} queries with 20 articles, {large} with 200"
    assert large <= DASHBOARD_BOUND, large


def _submit(officer, count, start=0):
    """``count`` articles of 综合科 submitted for review, waiting for the chief."""
    column = sub_column("工作动态")
    for number in range(start, start + count):
        page = add_article(column, title=f"待审信息第{number}号", owner=officer, publish=False)
        page.get_workflow().start(page, officer)


@pytest.mark.parametrize("role", ["综合科-科长", "主管主任(综合科、督查室、信息中心)"])
def test_the_review_queue_costs_the_same_queries_however_many_wait(role_users, role):
    """待我审核 — which reviews wait for this user, asked for the menu's count and the dashboard
    on every admin page — is read in a fixed number of queries, not several per page waiting.
    (Wagtail's own dashboard panel then renders each waiting page: see docs/performance.md.)"""
    officer, reviewer = role_users["综合科-信息员"], role_users[role]
    steps = [task for task in Task.objects.specific() if isinstance(task, ReviewTask)]

    def waiting():
        reviewer_now = type(reviewer).objects.get(pk=reviewer.pk)  # a request's user object
        with CaptureQueriesContext(connection) as context:
            found = [list(step.get_task_states_user_can_moderate(reviewer_now)) for step in steps]
        return len(context), sum(map(len, found))

    _submit(officer, 2)
    small, found = waiting()
    assert found == (2 if role == "综合科-科长" else 0)
    _submit(officer, 10, start=2)
    large, found = waiting()
    assert found == (12 if role == "综合科-科长" else 0)
    assert large == small, f"{role}: {small} queries with 2 waiting, {large} with 12"
