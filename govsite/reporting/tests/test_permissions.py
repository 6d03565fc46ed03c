"""The permission matrix (第十六条): role × state × action, as the lifecycle table answers it,
as the item's page offers it (a button exactly when the table allows it), and who reads an item
at all."""

import json
import re

import pytest
from django.urls import reverse

from .. import lifecycle, rules
from ..lifecycle import ITEM
from ..models import Item
from . import factories

pytestmark = pytest.mark.django_db
S = Item.Status

ROLES = [
    "mishu_officer",  # the writer
    "mishu_both",  # another 秘书科 officer, who is also its chief
    "mishu_chief",
    "wenshu_officer",
    "wenshu_chief",
    "office",
    "office_chief",
    "director",  # supervises 秘书科 and 文书科
    "office_director",
    "wangzhan",
    "auditor",
]
WRITERS = {"mishu_officer", "mishu_both"}
CHIEFS = {"mishu_chief", "mishu_both"}
OFFICE = {"office", "office_chief"}
EXPECTED = {
    # action: (states, roles)
    lifecycle.EDIT: ({S.DRAFT, S.RETURNED}, WRITERS),
    lifecycle.SUBMIT: ({S.DRAFT, S.RETURNED}, WRITERS),
    lifecycle.WITHDRAW: ({S.AWAITING_CHIEF}, WRITERS),
    lifecycle.APPROVE: ({S.AWAITING_CHIEF}, CHIEFS),
    lifecycle.RETURN: ({S.AWAITING_CHIEF}, CHIEFS),
    lifecycle.ADOPT: ({S.AWAITING_OFFICE}, OFFICE),
    lifecycle.RETURN_OFFICE: ({S.AWAITING_OFFICE}, OFFICE),
    lifecycle.OUTLET: ({S.AWAITING_OFFICE, S.ADOPTED}, OFFICE),
    lifecycle.INSTRUCTION: ({S.AWAITING_OFFICE, S.ADOPTED}, OFFICE),
}
MAKE = {
    S.DRAFT: lambda people, mishu: factories.draft(people["mishu_officer"], mishu),
    S.AWAITING_CHIEF: factories.submitted,
    S.AWAITING_OFFICE: factories.sent,
    S.RETURNED: factories.returned,
    S.ADOPTED: factories.adopted,
}
STEP_OF = {
    lifecycle.SUBMIT: "submit",
    lifecycle.WITHDRAW: "withdraw",
    lifecycle.APPROVE: "approve",
    lifecycle.RETURN: "return",
    lifecycle.ADOPT: "adopt",
    lifecycle.RETURN_OFFICE: "return-office",
    lifecycle.OUTLET: "outlet",
    lifecycle.INSTRUCTION: "instruction",
}


def readers(state):
    sent = state in (S.AWAITING_OFFICE, S.ADOPTED)
    section = {"mishu_officer", "mishu_both", "mishu_chief", "director"}
    return section | (OFFICE | {"office_director"} if sent else set())


@pytest.mark.parametrize("state", list(MAKE))
def test_matrix(client, people, mishu, state):
    item = MAKE[state](people, mishu)
    assert item.status == state
    for role in ROLES:
        user = people[role]
        for action, (states, roles) in EXPECTED.items():
            expected = state in states and role in roles
            assert ITEM.allows(action, user, item) is expected, (role, state, action)
        assert rules.may_read(user, item) is (role in readers(state)), (role, state)
        assert (item in rules.items_for(user)) is (role in readers(state)), (role, state)

        client.force_login(user)
        response = client.get(reverse("reporting_items:item", args=[item.pk]))
        if role not in readers(state):
            assert response.status_code == 404, (role, state)
            continue
        html = response.content.decode()
        shown = set(re.findall(r'data-step="([\w-]+)"', html))
        allowed = {STEP_OF[a] for a in STEP_OF if ITEM.allows(a, user, item)}
        assert shown == allowed, (role, state)
        edit_url = reverse("reporting_items:edit", args=[item.pk])
        assert (edit_url in html) is ITEM.allows(lifecycle.EDIT, user, item), (role, state)


def test_refusals_say_why(people, mishu):
    item = factories.submitted(people, mishu)
    assert ITEM.refusal(lifecycle.APPROVE, people["wenshu_chief"], item) == lifecycle.NOT_CHIEF
    assert ITEM.refusal(lifecycle.ADOPT, people["wangzhan"], item) == lifecycle.NOT_OFFICE
    assert "待科长审核" in ITEM.refusal(lifecycle.ADOPT, people["office"], item)
    adopted = factories.adopted(people, mishu, title="另一条")
    assert ITEM.refusal(lifecycle.ADOPT, people["office"], adopted) == (
        "这条信息已被采用，不能再进行这一步。"
    )


def test_who_takes_part(people):
    part = {role for role in ROLES if rules.takes_part(people[role])}
    assert part == set(ROLES) - {"wangzhan", "auditor"}
    assert {role for role in ROLES if rules.writes_for(people[role]).exists()} == {
        "mishu_officer",
        "mishu_both",
        "wenshu_officer",
        "office",
    }


def reporting_menu(client):
    """The labels of the 信息报送 submenu, from the sidebar's JSON props; ``None`` without it."""
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    modules = json.loads(props.group(1))["modules"]
    main = next(m for m in modules if m["_type"] == "wagtail.sidebar.MainMenuModule")
    menu = [item for item in main["_args"][0] if item["_args"][0]["name"] == "reporting"]
    if not menu:
        return None
    return [re.sub(r"（\d+）$", "", item["_args"][0]["label"]) for item in menu[0]["_args"][1]]


BULLETIN, QUOTAS = "信息报送通报", "科室报送定额"
OFFICE_DATA = ["信息类别", "采用渠道", "批示级别"]


def test_the_menu_shows_what_each_may_use(client, people, mishu):
    factories.submitted(people, mishu)
    expected = {
        "mishu_officer": ["我的信息", "撰写信息", BULLETIN],
        "mishu_chief": ["我的信息", "待审核", BULLETIN],
        "mishu_both": ["我的信息", "撰写信息", "待审核", BULLETIN],
        "director": ["我的信息", BULLETIN],
        "office": ["本科室信息", "撰写信息", "待采用", *OFFICE_DATA, BULLETIN, QUOTAS],
        "office_chief": ["本科室信息", "待审核", "待采用", *OFFICE_DATA, BULLETIN, QUOTAS],
        "wangzhan": [BULLETIN, QUOTAS],
        "auditor": None,
    }
    for role, labels in expected.items():
        client.force_login(people[role])
        assert reporting_menu(client) == labels, role
