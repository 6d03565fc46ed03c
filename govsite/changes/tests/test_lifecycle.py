"""The request's table (``lifecycle.REQUEST``) drives both the buttons and the actions.

For every state of a request, every role and every step of the table: the request's page
offers the step exactly when ``actions`` takes it, and a refusal is the table's sentence.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from govsite.testing.helpers import add_article, sub_column

from .. import actions, lifecycle
from ..lifecycle import REQUEST
from ..models import ChangeRequest, ChangeStatus
from .utils import COLUMN, REASON, detail_url

ROLES = ["officer", "officer2", "chief", "other_chief", "director", "other_director"]
OPERATIONS = {
    lifecycle.APPROVE: lambda request, user: actions.approve(request, user, "同意。"),
    lifecycle.RETURN: lambda request, user: actions.return_request(request, user, "请补充。"),
    lifecycle.WITHDRAW: lambda request, user: actions.withdraw(request, user),
}


def offered_on_page(client, user, change_request):
    """The table's steps the request's page offers ``user`` (none when it is refused)."""
    client.force_login(user)
    response = client.get(detail_url(change_request))
    if response.status_code != 200:
        return set()
    html = response.content.decode()
    offered = {
        action
        for action in (lifecycle.APPROVE, lifecycle.RETURN)
        if f'name="decision" value="{action}"' in html
    }
    if reverse("govsite_changes:withdraw", args=[change_request.pk]) in html:
        offered.add(lifecycle.WITHDRAW)
    return offered


def take(action, user, change_request):
    """Take ``action``; the refusal, or None. Every attempt starts from the same request."""
    change_request = ChangeRequest.objects.select_related("page").get(pk=change_request.pk)
    expected = REQUEST.refusal(action, user, change_request)
    try:
        with transaction.atomic():
            OPERATIONS[action](change_request, user)
            transaction.set_rollback(True)
    except actions.Refused as refused:
        assert refused.message == expected, (action, change_request.status)
        return refused.message
    assert expected is None, (action, change_request.status)
    return None


@pytest.fixture
def requests(people):
    """A request in every state, each for its own article of 秘书科's column."""
    officer, chief, director = people["officer"], people["chief"], people["director"]

    def filed(title):
        page = add_article(sub_column(COLUMN), title=title, owner=officer)
        return actions.file_request(officer, page, "unpublish", REASON)

    awaiting_director = filed("待主管主任审核的文章")
    actions.approve(awaiting_director, chief)
    done = filed("已撤销发布的文章")
    actions.approve(done, chief)
    actions.approve(done, director)
    returned = filed("已退回的文章")
    actions.return_request(returned, chief, "仍有参考价值。")
    withdrawn = filed("已撤回的文章")
    actions.withdraw(withdrawn, officer)
    states = {
        ChangeStatus.AWAITING_CHIEF: filed("待科长审核的文章"),
        ChangeStatus.AWAITING_DIRECTOR: awaiting_director,
        ChangeStatus.DONE: done,
        ChangeStatus.RETURNED: returned,
        ChangeStatus.WITHDRAWN: withdrawn,
    }
    for status, change_request in states.items():
        change_request.refresh_from_db()
        assert change_request.status == status
    return states


@pytest.mark.django_db
def test_every_button_is_shown_exactly_when_its_action_is_taken(client, people, requests):
    covered = set()
    for status, change_request in requests.items():
        for role in ROLES:
            user = people[role]
            offered = offered_on_page(client, user, change_request)
            for action in REQUEST.actions:
                refusal = take(action, user, change_request)
                assert (action in offered) == (refusal is None), (status, role, action, refusal)
                if refusal is None:
                    covered.add((action, status))
    assert covered == {
        (lifecycle.APPROVE, ChangeStatus.AWAITING_CHIEF),
        (lifecycle.APPROVE, ChangeStatus.AWAITING_DIRECTOR),
        (lifecycle.RETURN, ChangeStatus.AWAITING_CHIEF),
        (lifecycle.RETURN, ChangeStatus.AWAITING_DIRECTOR),
        (lifecycle.WITHDRAW, ChangeStatus.AWAITING_CHIEF),
        (lifecycle.WITHDRAW, ChangeStatus.AWAITING_DIRECTOR),
    }


@pytest.mark.django_db
def test_the_table_says_where_each_step_leads(people, requests):
    assert REQUEST.initial == ChangeRequest._meta.get_field("status").default
    rows = {
        (row.action, source): row.target for row in REQUEST.transitions for source in row.sources
    }
    assert rows == {
        (lifecycle.APPROVE, ChangeStatus.AWAITING_CHIEF): ChangeStatus.AWAITING_DIRECTOR,
        (lifecycle.APPROVE, ChangeStatus.AWAITING_DIRECTOR): ChangeStatus.DONE,
        (lifecycle.RETURN, ChangeStatus.AWAITING_CHIEF): ChangeStatus.RETURNED,
        (lifecycle.RETURN, ChangeStatus.AWAITING_DIRECTOR): ChangeStatus.RETURNED,
        (lifecycle.WITHDRAW, ChangeStatus.AWAITING_CHIEF): ChangeStatus.WITHDRAWN,
        (lifecycle.WITHDRAW, ChangeStatus.AWAITING_DIRECTOR): ChangeStatus.WITHDRAWN,
    }
    done = requests[ChangeStatus.DONE]
    assert (
        REQUEST.refusal(lifecycle.APPROVE, people["director"], done) == "该申请已完成，不能再审核。"
    )
    assert REQUEST.refusal(lifecycle.WITHDRAW, people["officer"], done) == (
        "只有申请人可以撤回尚在审核中的申请。"
    )
