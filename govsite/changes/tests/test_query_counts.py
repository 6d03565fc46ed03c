"""SPEC §12: 撤销/删除申请 costs the same queries however many requests there are —
``ChangeRequest.objects.awaiting(user)`` is one query, not one per open request — and its
lists page through absurd page numbers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govsite.testing.helpers import add_article, screen_queries, sub_column

from ..models import ChangeKind, ChangeRequest, ChangeRequestStep, ChangeStatus, Decision, Stage
from ..rules import may_decide
from .utils import COLUMN, REASON

# The admin's frame includes the 信息报送 and 监督考核 menus (a few fixed queries each).
INDEX_QUERIES = 44
DETAIL_QUERIES = 60


def open_requests(officer, number, start=0, status=ChangeStatus.AWAITING_CHIEF):
    """``number`` live articles of 秘书科, each with an open unpublishing request."""
    column = sub_column(COLUMN)
    pages = [
        add_article(column, title=f"待撤销信息第{n}号", owner=officer)
        for n in range(start, start + number)
    ]
    return ChangeRequest.objects.bulk_create(
        [
            ChangeRequest(
                page=page,
                kind=ChangeKind.UNPUBLISH,
                reason=REASON,
                requested_by=officer,
                status=status,
            )
            for page in pages
        ]  # fmt: skip
    )


def closed_requests(page, officer, number):
    """``number`` withdrawn requests for ``page``, filed by ``officer``."""
    return ChangeRequest.objects.bulk_create(
        ChangeRequest(page=page, kind=ChangeKind.UNPUBLISH, reason=REASON,
                      requested_by=officer, status=ChangeStatus.WITHDRAWN)
        for _ in range(number)
    )  # fmt: skip


@pytest.mark.django_db
def test_awaiting_is_one_query_and_agrees_with_may_decide(people):
    requests = open_requests(people["officer"], 4)
    requests += open_requests(people["officer2"], 2, start=4, status=ChangeStatus.AWAITING_DIRECTOR)
    # The chief already approved the last one: the director decides it, not the chief again.
    ChangeRequestStep.objects.create(
        request=requests[-1], stage=Stage.CHIEF, decision=Decision.APPROVED,
        actor=people["chief"],
    )  # fmt: skip
    for who in ("chief", "director", "other_chief", "other_director", "officer", "officer2"):
        user = people[who]
        user = type(user).objects.get(pk=user.pk)  # nothing cached on the user object
        with CaptureQueriesContext(connection) as context:
            awaiting = set(ChangeRequest.objects.awaiting(user))
        assert len(context) <= 3, (who, len(context))  # the roles, then the one query
        expected = {r for r in ChangeRequest.objects.all() if may_decide(user, r)}
        assert awaiting == expected, who
    assert len(set(ChangeRequest.objects.awaiting(people["chief"]))) == 4
    assert len(set(ChangeRequest.objects.awaiting(people["director"]))) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["chief", "director", "officer", "auditor"])
def test_the_index_costs_the_same_for_few_and_many_requests(client, people, make_user, who):
    people["auditor"] = make_user("auditor", "审计管理员")
    client.force_login(people[who])
    url = reverse("govsite_changes:index")
    first = open_requests(people["officer"], 2)
    closed_requests(first[0].page, people["officer"], 20)
    few, html = screen_queries(client, url)
    open_requests(people["officer"], 8, start=2)
    closed_requests(first[0].page, people["officer"], 180)
    many, html = screen_queries(client, url)
    assert few == many <= INDEX_QUERIES, (who, few, many)


@pytest.mark.django_db
def test_the_index_pages_through_absurd_page_numbers(client, people, make_user):
    auditor = make_user("auditor", "审计管理员")
    (request,) = open_requests(people["officer"], 1)
    closed_requests(request.page, people["officer"], 65)
    client.force_login(auditor)
    url = reverse("govsite_changes:index")
    html = client.get(url).content.decode()
    assert "第 1 / 3 页（共 66 份）" in html
    for page_number in ("3", "1000000000", "-5"):
        assert "第 3 / 3 页" in client.get(url, {"p": page_number}).content.decode()
    assert "第 1 / 3 页" in client.get(url, {"p": "x" * 10_000}).content.decode()
    client.force_login(people["officer"])
    html = client.get(url, {"mine_p": "1000000000"}).content.decode()
    assert "第 3 / 3 页（共 66 份）" in html


@pytest.mark.django_db
def test_the_detail_costs_the_same_for_few_and_many_steps(client, people):
    (request,) = open_requests(people["officer"], 1)
    client.force_login(people["chief"])
    url = reverse("govsite_changes:detail", args=[request.pk])

    def steps(number):
        ChangeRequestStep.objects.bulk_create(
            ChangeRequestStep(request=request, stage=Stage.REQUEST, decision=Decision.FILED,
                              actor=people["officer"])
            for _ in range(number)
        )  # fmt: skip

    steps(2)
    few, _ = screen_queries(client, url)
    steps(40)
    many, html = screen_queries(client, url)
    assert html.count("提交申请") >= 42
    assert few == many <= DETAIL_QUERIES, (few, many)


@pytest.mark.django_db
def test_the_dashboard_shows_the_first_ten_waiting_and_links_the_rest(client, people):
    open_requests(people["officer"], 12)
    client.force_login(people["chief"])
    small, html = screen_queries(client, reverse("wagtailadmin_home"))
    assert html.count("待撤销信息第") == 10
    assert "共 12 份申请等待您审核，查看全部" in html
    open_requests(people["officer"], 30, start=12)
    large, html = screen_queries(client, reverse("wagtailadmin_home"))
    assert large == small and "共 42 份申请等待您审核" in html
