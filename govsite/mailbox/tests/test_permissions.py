"""Who may take each step with a letter, role by role (R-MAIL-2..5; 第十一、十三、十四条).

在线交流 belongs to the section owning the 沟通信箱 column — 综合科 by default — not to the
综合科-网站管理 role: its 信息员 triage, assign, decide extensions, forward, record results,
word every reply and choose its publication, and report; its 科长 sign each reply off (never
one they prepared); the director supervising it approves replies when 沟通信箱设置 asks for
it. The section a letter is assigned to drafts (its 信息员 and 科长) and approves (its 科长).
Moving the column moves the duty. test_lifecycle proves that the page's buttons and the
operations follow the same table; this module proves the table says what the office's rules
say, for every role.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from govsite.notices.models import Notice
from govsite.sections import roles
from govsite.sections.models import Section
from govsite.sections.rules import office_section

from .. import cases, lifecycle, rules
from ..lifecycle import LETTER
from ..models import Letter, MailboxSettings
from ..pages import MailboxPage
from .factories import every_state, make_people, prepared, write

Status = Letter.Status

# The roles of the matrix: people of 综合科 (the section owning 沟通信箱), of 文书科 (the
# section the letters are assigned to), of another section, directors, and those with no part.
ROLES = [
    "office",  # 综合科-信息员
    "office_chief",  # 综合科-科长
    "office_both",  # 信息员 and 科长 of 综合科
    "site_manager",  # 综合科-网站管理: settings only
    "office_director",  # 主管主任 of 综合科
    "officer",  # 文书科-信息员
    "chief",  # 文书科-科长
    "other_officer",  # 秘书科-信息员
    "other_chief",  # 秘书科-科长
    "director",  # 主管主任 of 文书科
    "outside_director",  # 主管主任 of 督查室
    "auditor",
]

OFFICE = {"office", "office_both"}
SIGNERS = {"office_chief", "office_both"}
SECTION = {"officer", "chief"}

# (step, the letter's state) → who may take it.
MATRIX = {
    (lifecycle.CLASSIFY, "received"): OFFICE,
    (lifecycle.CLOSE_INVALID, "received"): OFFICE,
    (lifecycle.CLOSE_DUPLICATE, "received"): OFFICE,
    (lifecycle.ASSIGN, "received_internal"): OFFICE,
    (lifecycle.ASSIGN, "assigned"): OFFICE,
    (lifecycle.FORWARD, "received_government"): OFFICE,
    (lifecycle.RECORD_RESULT, "forwarded"): OFFICE,
    (lifecycle.REQUEST_EXTENSION, "assigned"): SECTION,
    (lifecycle.DECIDE_EXTENSION, "assigned_extension"): OFFICE,
    (lifecycle.DRAFT, "assigned"): SECTION,
    (lifecycle.APPROVE, "drafted"): {"chief"},
    (lifecycle.RETURN, "drafted"): {"chief"},
    (lifecycle.PREPARE, "approved"): OFFICE,
    (lifecycle.RETURN, "approved"): OFFICE,
    (lifecycle.PREPARE, "result"): OFFICE,
    (lifecycle.SIGN_OFF, "prepared"): SIGNERS,
    (lifecycle.RETURN_REPLY, "prepared"): SIGNERS,
    (lifecycle.SIGN_OFF, "prepared_by_chief"): {"office_chief"},  # not their own
    (lifecycle.APPROVE_REPLY, "director_review"): {"office_director"},
    (lifecycle.RETURN_REPLY, "director_review"): {"office_director"},
    (lifecycle.PUBLISH, "replied"): OFFICE,
    (lifecycle.REPORT, "replied"): OFFICE,
}
# Who reads a letter assigned to 文书科, and one not yet assigned.
READ_ASSIGNED = {"office", "office_chief", "office_both", "office_director", *SECTION, "director"}
READ_UNASSIGNED = {"office", "office_chief", "office_both", "office_director"}


def fresh(user):
    """The user as a new request has them: nothing cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


def everyone(people, make_user):
    people["other_chief"] = make_user("mishu_chief", "秘书科-科长")
    people["outside_director"] = make_user("director_c", roles.DIRECTORS, supervises=["督查室"])
    people["auditor"] = make_user("auditor", roles.AUDIT_ADMINS)
    return people


def table(people, states):
    """The matrix as the table answers it: (step, state) → the roles it allows."""
    return {
        (action, state): {
            role
            for role in ROLES
            if LETTER.allows(action, fresh(people[role]), Letter.objects.get(pk=states[state].pk))
        }
        for action, state in MATRIX
    }


@pytest.fixture
def matrix_letters(make_user, site_tree):
    people = everyone(make_people(make_user), make_user)
    wenshu = Section.objects.get(name="文书科")
    _earlier, states = every_state(people, wenshu)
    return people, wenshu, states


@pytest.mark.django_db
def test_the_owning_sections_staff_handle_letters_and_the_site_manager_does_not(matrix_letters):
    people, _wenshu, states = matrix_letters
    assert table(people, states) == MATRIX


@pytest.mark.django_db
def test_who_reads_which_letter(client, matrix_letters):
    people, _wenshu, states = matrix_letters
    assigned, received = states["assigned"], states["received"]
    for role in ROLES:
        user = fresh(people[role])
        assert rules.may_read(user, assigned) == (role in READ_ASSIGNED), role
        assert rules.may_read(user, received) == (role in READ_UNASSIGNED), role
        client.force_login(user)
        page = client.get(reverse("mailbox_letter", args=[received.pk]))
        assert page.status_code == (200 if role in READ_UNASSIGNED else 404), role
        listing = client.get(reverse("mailbox_letters"))
        if role in {"site_manager", "auditor"}:
            assert listing.status_code == 302, role  # no part in letters: refused
        else:
            assert listing.status_code == 200, role
            html = listing.content.decode()
            assert (received.tracking_number in html) == (role in READ_UNASSIGNED), role
    client.logout()
    response = client.get(reverse("mailbox_letter", args=[received.pk]))
    assert response.status_code == 302 and "login" in response["Location"]  # anonymous


@pytest.mark.django_db
def test_the_site_manager_keeps_the_settings_only(client, matrix_letters):
    people, _wenshu, _states = matrix_letters
    client.force_login(people["site_manager"])
    settings_url = reverse("wagtailsettings:edit", args=["mailbox", "mailboxsettings"])
    response = client.get(settings_url, follow=True)
    assert "答复须经主管主任审核" in response.content.decode()
    for name in ("mailbox_letters", "mailbox_report", "mailbox_handoff_import"):
        assert client.get(reverse(name)).status_code == 302, name
    assert rules.letters_for(fresh(people["site_manager"])).count() == 0
    client.force_login(people["office"])
    response = client.get(settings_url, follow=True)  # 综合科's officers: not the settings
    assert "答复须经主管主任审核" not in response.content.decode()
    assert client.get(reverse("mailbox_report")).status_code == 200


@pytest.mark.django_db
def test_moving_the_column_moves_the_duty(client, matrix_letters):
    """沟通信箱 moved to 秘书科: its officer and chief handle the letters; 综合科's no longer."""
    people, _wenshu, states = matrix_letters
    mishu = Section.objects.get(name="秘书科")
    mailbox = MailboxPage.objects.get()
    mailbox.owner_section = mishu  # 负责科室 changed on the column's page
    mailbox.save()
    assert rules.mailbox_section() == mishu
    assert office_section().name == "综合科"  # the site owner section stays (第五条)

    swapped = {"office": "other_officer", "office_both": None, "office_chief": "other_chief"}
    moved = {}
    for (action, state), allowed in MATRIX.items():
        now = {swapped.get(role, role) for role in allowed} - {None}
        if allowed & SIGNERS and state == "prepared_by_chief":
            now = {"other_chief"}
        if action in (lifecycle.APPROVE_REPLY,) or (
            action == lifecycle.RETURN_REPLY and state == "director_review"
        ):
            now = set()  # nobody supervises 秘书科 among these roles but 文书科's director
        moved[(action, state)] = now
    director_of_mishu = fresh(people["director"])  # 文书科's director does not supervise 秘书科
    assert not rules.may_approve_reply(director_of_mishu)
    assert table(people, states) == moved

    letter = write(subject="移交后的来信")
    officer = fresh(people["other_officer"])
    assert rules.may_read(officer, letter) and not rules.may_read(fresh(people["office"]), letter)
    cases.classify(letter, officer, Letter.Scope.INTERNAL)
    client.force_login(people["other_officer"])
    assert client.get(reverse("mailbox_report")).status_code == 200
    client.force_login(people["office"])
    assert client.get(reverse("mailbox_letter", args=[letter.pk])).status_code == 404


@pytest.mark.django_db
def test_nobody_signs_off_a_reply_they_prepared(people, wenshu):
    letter = prepared(people, wenshu)
    both = people["office_both"]
    cases.return_reply(letter, people["office_chief"], "请写明办理时限。")
    assert letter.status == Status.APPROVED
    cases.prepare_reply(letter, both, text="您好，材料已列出，本周内办结。")
    with pytest.raises(cases.CaseError, match="不能签发自己拟定的答复"):
        cases.sign_off(letter, both)
    cases.sign_off(letter, people["office_chief"])
    assert letter.status == Status.REPLIED


@pytest.fixture
def directors_approve(site_tree):
    settings = MailboxSettings.load()
    settings.directors_approve_replies = True
    settings.save()
    return settings


@pytest.mark.django_db
def test_with_the_setting_the_director_approves_after_the_chief(people, wenshu, directors_approve):
    letter = prepared(people, wenshu, publish=True)
    cases.sign_off(letter, people["office_chief"])
    assert letter.status == Status.DIRECTOR_REVIEW and not Letter.objects.published().exists()
    assert letter.is_open  # in hand: it counts for 督办 and the deadline
    notices = Notice.objects.filter(recipient=people["office_director"])
    assert notices.filter(title__startswith="答复待主管主任审核").exists()
    for who in ("director", "office_chief", "office"):
        with pytest.raises(cases.CaseError):
            cases.approve_reply(letter, people[who])
    cases.return_reply(letter, people["office_director"], "请补充政策依据。")
    assert letter.status == Status.APPROVED
    cases.prepare_reply(letter, people["office"], publish=True)
    cases.sign_off(letter, people["office_chief"])
    cases.approve_reply(letter, people["office_director"], "同意")
    letter.refresh_from_db()
    assert letter.status == Status.REPLIED and Letter.objects.published().get() == letter
    assert list(letter.events.values_list("action", flat=True))[-3:] == [
        "reply_approved",
        "replied",
        "published",
    ]


@pytest.mark.django_db
def test_with_the_setting_a_section_without_a_director_is_told(people, wenshu, directors_approve):
    Section.objects.get(name="综合科").directors.clear()
    letter = prepared(people, wenshu)
    with pytest.raises(cases.CaseError, match="没有主管主任"):
        cases.sign_off(letter, people["office_chief"])


@pytest.mark.django_db
def test_without_the_setting_the_chiefs_sign_off_sends_the_reply(people, wenshu):
    assert not MailboxSettings.load().directors_approve_replies  # the default
    letter = prepared(people, wenshu, publish=True)
    cases.sign_off(letter, people["office_chief"])
    assert letter.status == Status.REPLIED and Letter.objects.published().get() == letter
