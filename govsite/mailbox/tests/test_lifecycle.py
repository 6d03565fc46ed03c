"""The letter's table (``lifecycle.LETTER``) drives both the buttons and the operations.

For every letter state, every role and every action of the table: the letter's page offers the
action exactly when its ``cases`` function goes ahead, and a refusal is the table's sentence.
Dates are in 2030 (see test_cases).
"""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from govsite.lifecycles import Guard, Lifecycle, Transition

from .. import cases, lifecycle
from ..cases import CaseError
from ..lifecycle import LETTER
from ..models import Letter
from .factories import every_state, make_people

Status, Scope = Letter.Status, Letter.Scope
ROLES = [
    "office",
    "office_chief",
    "office_director",
    "site_manager",
    "officer",
    "chief",
    "deputy",
    "director",
    "other_officer",
    "office_both",
]

# What each step's form on the page offers, read from the page itself: a step's form (by the
# address it posts to) and, for the forms with a button per decision, the buttons.
STEP_ACTIONS = {
    "classify": {lifecycle.CLASSIFY},
    "close": {lifecycle.CLOSE_INVALID, lifecycle.CLOSE_DUPLICATE},
    "assign": {lifecycle.ASSIGN},
    "forward": {lifecycle.FORWARD},
    "result": {lifecycle.RECORD_RESULT},
    "extension": {lifecycle.REQUEST_EXTENSION},
    "extension-decision": {lifecycle.DECIDE_EXTENSION},
    "draft": {lifecycle.DRAFT},
    "publish": {lifecycle.PUBLISH},
    "report": {lifecycle.REPORT},
}
DECISION_ACTIONS = {
    "chief-review": {"approve": lifecycle.APPROVE, "return": lifecycle.RETURN},
    "office-review": {"prepare": lifecycle.PREPARE, "return": lifecycle.RETURN},
    "sign-off": {"sign_off": lifecycle.SIGN_OFF, "return": lifecycle.RETURN_REPLY},
    "director-review": {"approve": lifecycle.APPROVE_REPLY, "return": lifecycle.RETURN_REPLY},
}


def offered_on_page(client, user, letter):
    """The table's actions the letter's page offers ``user`` (none when it is a 404)."""
    client.force_login(user)
    response = client.get(reverse("mailbox_letter", args=[letter.pk]))
    if response.status_code == 404:
        return set()
    html = response.content.decode()
    offered = set()
    for name, actions in STEP_ACTIONS.items():
        if reverse("mailbox_letter_step", args=[letter.pk, name]) in html:
            offered |= actions
    for name, decisions in DECISION_ACTIONS.items():
        if reverse("mailbox_letter_step", args=[letter.pk, name]) in html:
            buttons = re.findall(rf'name="{name}-decision" value="(\w+)"', html)
            offered |= {decisions[value] for value in buttons}
    return offered


def take(action, user, letter, wenshu, earlier):
    """Take ``action`` with acceptable input; the operation's refusal, or None."""
    letter = Letter.objects.select_related("section").get(pk=letter.pk)
    operation = {
        lifecycle.CLASSIFY: lambda: cases.classify(letter, user, letter.scope or Scope.INTERNAL),
        lifecycle.CLOSE_INVALID: lambda: cases.close(letter, user, "与本办无关。"),
        lifecycle.CLOSE_DUPLICATE: lambda: cases.close(
            letter, user, "同一事项已来信。", duplicate_of=earlier
        ),
        lifecycle.ASSIGN: lambda: cases.assign(letter, user, letter.section or wenshu),
        lifecycle.FORWARD: lambda: cases.forward(letter, user),
        lifecycle.RECORD_RESULT: lambda: cases.record_result(letter, user, "已办结。", "区交通局"),
        lifecycle.REQUEST_EXTENSION: lambda: cases.request_extension(letter, user, 2, "需核实。"),
        lifecycle.DECIDE_EXTENSION: lambda: cases.decide_extension(letter, user, True),
        lifecycle.DRAFT: lambda: cases.draft(letter, user, "您好，已按您的意见办理。"),
        lifecycle.APPROVE: lambda: cases.approve(letter, user),
        lifecycle.RETURN: lambda: cases.return_draft(letter, user, "请补充办理依据。"),
        lifecycle.PREPARE: lambda: cases.prepare_reply(
            letter, user, text="您好，已办理。", department="文书科"
        ),
        lifecycle.SIGN_OFF: lambda: cases.sign_off(letter, user),
        lifecycle.APPROVE_REPLY: lambda: cases.approve_reply(letter, user),
        lifecycle.RETURN_REPLY: lambda: cases.return_reply(letter, user, "请核实办理时限。"),
        lifecycle.PUBLISH: lambda: cases.set_published(letter, user, not letter.published),
        lifecycle.REPORT: lambda: cases.report(letter, user, "报送办公室主任。"),
    }[action]
    expected = LETTER.refusal(action, user, letter)
    try:
        with transaction.atomic():
            operation()
            transaction.set_rollback(True)  # every attempt starts from the same letter
    except CaseError as error:
        assert str(error) == expected, (action, letter.status)
        return str(error)
    assert expected is None, (action, letter.status)
    return None


@pytest.fixture
def letters(make_user, site_tree):
    """A letter in every state the table knows, with the variants its guards tell apart."""
    from govsite.sections.models import Section

    people = make_people(make_user)
    wenshu = Section.objects.get(name="文书科")
    earlier, states = every_state(people, wenshu)
    return people, wenshu, earlier, states


@pytest.mark.django_db
def test_every_button_is_shown_exactly_when_its_operation_goes_ahead(client, letters):
    people, wenshu, earlier, states = letters
    covered = set()
    for state, letter in states.items():
        for role in ROLES:
            user = people[role]
            offered = offered_on_page(client, user, letter)
            for action in LETTER.actions:
                refusal = take(action, user, letter, wenshu, earlier)
                assert (action in offered) == (refusal is None), (state, role, action, refusal)
                if refusal is None:
                    covered.add(action)
    assert covered == set(LETTER.actions)  # every row of the table was taken by someone


@pytest.mark.django_db
def test_the_table_is_read_the_same_way_everywhere(letters):
    """A few of the table's answers spelled out, as the office's rules state them."""
    people, _wenshu, _earlier, states = letters
    chief, deputy, office = people["chief"], people["deputy"], people["office"]
    assert LETTER.refusal(lifecycle.APPROVE, chief, states["drafted_by_chief"]) == (
        "只有承办科室的科长才能审核答复，且不能审核自己拟写的答复。"
    )
    assert LETTER.allows(lifecycle.APPROVE, deputy, states["drafted_by_chief"])
    assert LETTER.refusal(lifecycle.ASSIGN, office, states["received"]).startswith(
        "只有“涉及办公室内部工作”的信件"
    )
    assert LETTER.refusal(lifecycle.DRAFT, chief, states["approved"]) == (
        "信件当前状态为“待综合科审核发布”，不能进行这一步。"
    )
    assert LETTER.refusal(lifecycle.RETURN, office, states["result"]) == (
        "信件当前状态为“区长电子信箱已反馈”，不能进行这一步。"
    )
    assert LETTER.refusal(lifecycle.CLASSIFY, chief, states["replied"]) == "您无权办理这封信件。"
    assert LETTER.row(lifecycle.ASSIGN, Status.ASSIGNED).label.startswith("重新交办")
    assert LETTER.initial == Letter._meta.get_field("status").default


def test_an_action_has_one_row_per_state():
    def anyone(user, obj):
        return True

    with pytest.raises(ValueError, match="two rows"):
        Lifecycle(
            Transition("go", {"a", "b"}, "c", anyone, "走"),
            Transition("go", {"b"}, "d", anyone, "走"),
            wrong_state=lambda obj: "",
        )


def test_who_is_asked_before_the_state_and_the_guards():
    class Thing:
        def __init__(self, status, ready=True):
            self.status, self.ready = status, ready

    table = Lifecycle(
        Transition(
            "go",
            {"a"},
            "b",
            lambda user, obj: user == "ann",
            "走",
            "不是你。",
            (Guard(lambda obj: obj.ready, "还没准备好。"),),
        ),  # fmt: skip
        Transition("go", {"b"}, "c", lambda user, obj: user == "bob", "再走", "也不是你。"),
        wrong_state=lambda obj: f"现在是 {obj.status}。",
    )
    assert table.refusal("go", "cat", Thing("z")) == "不是你。"  # nobody's step for cat
    assert table.refusal("go", "ann", Thing("z")) == "现在是 z。"
    assert table.refusal("go", "bob", Thing("a")) == "不是你。"  # the rule of the state's row
    assert table.refusal("go", "ann", Thing("a", ready=False)) == "还没准备好。"
    assert table.allows("go", "ann", Thing("a"))
    assert table.check("go", "bob", Thing("b"), ValueError).target == "c"
    with pytest.raises(KeyError):
        table.allows("fly", "ann", Thing("a"))
