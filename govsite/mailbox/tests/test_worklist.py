"""What waits for whom: the menu's number and the dashboard's counts cost the same queries with
2 letters as with 30, for every role, and count what the letter's table says each may do."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from govsite.sections.models import Section

from .. import rules
from ..admin.worklist import worklist
from ..lifecycle import LETTER
from ..models import Letter, LetterEvent, MailboxSettings
from ..wagtail_hooks import LettersMenuItem
from .factories import make_people

Status = Letter.Status
ROLES = ["office", "officer", "chief", "director", "office_chief", "office_director"]
# The states a letter goes through, in turn; the letters of a section alternate between 文书科
# (whose people are asked) and 秘书科 (whose letters they never count).
CYCLE = [
    Status.RECEIVED,
    Status.ASSIGNED,
    Status.DRAFTED,
    Status.APPROVED,
    Status.FORWARDED,
    Status.RESULT,
    Status.PREPARED,
    Status.DIRECTOR_REVIEW,
    Status.REPLIED,
    Status.INVALID,
]


def add_letters(people, count, start=0):
    """``count`` letters in every state, some overdue, some with an extension asked for, some
    drafted by the chief (whom they never wait for)."""
    sections = [Section.objects.get(name="文书科"), Section.objects.get(name="秘书科")]
    for n in range(start, start + count):
        status = CYCLE[n % len(CYCLE)]
        in_section = status in (
            Status.ASSIGNED,
            Status.DRAFTED,
            Status.APPROVED,
            Status.PREPARED,
            Status.DIRECTOR_REVIEW,
            Status.REPLIED,
        )
        letter = Letter.objects.create(
            tracking_number=f"GT-20300107-{n:04d}",
            name="张三",
            subject=f"来信 {n}",
            text="内容",
            status=status,
            scope="internal" if in_section or status == Status.RECEIVED else "government",
            section=sections[n // len(CYCLE) % 2] if in_section else None,
            deadline=date(2030, 1, 7) + timedelta(days=(n % 3 - 1) * 30),
            extension_days=2 if n % 5 == 0 and status == Status.ASSIGNED else 0,
            reply="答复" if status == Status.REPLIED else "",
        )
        if status == Status.DRAFTED:
            author = people["chief"] if n // len(CYCLE) % 4 == 0 else people["officer"]
            LetterEvent.objects.create(letter=letter, action="drafted", actor=author)
        if status == Status.PREPARED:  # some prepared by a chief who is an officer too
            author = people["office_both"] if n % 3 == 0 else people["office"]
            LetterEvent.objects.create(letter=letter, action="prepared", actor=author)


def fresh(user):
    """The user as a new request has them: nothing cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


def menu_queries(user):
    item = LettersMenuItem("来信办理", "/admin/mailbox/", name="mailbox-letters")
    request = RequestFactory().get("/admin/")
    request.user = fresh(user)
    with CaptureQueriesContext(connection) as queries:
        number = item.count(request)
    return len(queries), number


def dashboard_queries(user):
    user = fresh(user)
    with CaptureQueriesContext(connection) as queries:
        counts = {count.label: count.count for count in worklist(user, date(2030, 1, 7))}
    return len(queries), counts


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_counts_cost_the_same_with_2_and_with_30_letters(make_user, role):
    people = make_people(make_user)
    user = people[role]
    MailboxSettings.load()  # the settings exist, as on any site
    add_letters(people, 2)
    few = menu_queries(user)[0], dashboard_queries(user)[0]
    add_letters(people, 28, start=2)
    many = menu_queries(user)[0], dashboard_queries(user)[0]
    assert many == few, role
    # (menu, dashboard), whatever the rows
    limit = (8, 9) if role == "office" else (5, 6) if role.startswith("office") else (4, 5)
    assert few[0] <= limit[0] and few[1] <= limit[1], few


def waiting(action, user):
    """The letters on which the table lets ``user`` take ``action`` now, asked letter by letter."""
    letters = Letter.objects.select_related("section")
    return sum(LETTER.allows(action, user, letter) for letter in letters)


@pytest.mark.django_db
def test_the_counts_are_the_tables_answers(make_user):
    people = make_people(make_user)
    add_letters(people, 30)
    office, officer, chief, director, office_chief, office_director = (
        people[role] for role in ROLES
    )
    office_tasks = {
        "待分类": "classify",
        "待拟定答复": "prepare",
        "待办理结果": "record_result",
        "延期待审批": "decide_extension",
    }
    section_tasks = {"待拟写答复": "draft", "待科长审核": "approve"}

    def expected(user, tasks):
        counts = {label: waiting(action, user) for label, action in tasks.items()}
        return counts, sum(counts.values())

    overdue = Letter.objects.overdue(date(2030, 1, 7)).count()
    # 综合科's officer drafts what is assigned to 综合科; approving drafts is its chief's work
    counts, todo = expected(office, {**office_tasks, "待拟写答复": "draft"})
    assert dashboard_queries(office)[1] == {**counts, "超期": overdue}
    assert menu_queries(office)[1] == todo
    counts, todo = expected(office_chief, {"待签发": "sign_off", **section_tasks})
    assert dashboard_queries(office_chief)[1] == {**counts, "超期": overdue}
    assert menu_queries(office_chief)[1] == todo
    assert counts["待签发"] == Letter.objects.filter(status=Status.PREPARED).count()
    both = people["office_both"]  # signs off the replies others prepared, not their own
    assert 0 < waiting("sign_off", both) < counts["待签发"]
    assert dashboard_queries(both)[1]["待签发"] == waiting("sign_off", both)
    counts, todo = expected(office_director, {"待主管主任审核答复": "approve_reply"})
    assert dashboard_queries(office_director)[1] == {**counts, "超期": overdue}
    assert menu_queries(office_director)[1] == todo > 0
    assert set(dashboard_queries(officer)[1]) == {"待拟写答复", "超期"}
    for user in (officer, chief):
        counts = dashboard_queries(user)[1]
        assert counts["待拟写答复"] == waiting("draft", user)
        assert counts.get("待科长审核", 0) == waiting("approve", user)
        assert menu_queries(user)[1] == counts["待拟写答复"] + counts.get("待科长审核", 0)
    assert dashboard_queries(director)[1] == {"超期": overdue_of(director)}
    assert dashboard_queries(officer)[1]["待拟写答复"] > 0
    assert (
        0
        < dashboard_queries(chief)[1]["待科长审核"]
        < Letter.objects.filter(status=Status.DRAFTED, section__name="文书科").count()
    )  # not the drafts the chief wrote
    assert overdue_of(director) > 0  # the director sees the overdue letters
    assert menu_queries(director)[1] == 0


def overdue_of(user):
    return rules.letters_for(fresh(user)).overdue(date(2030, 1, 7)).count()


def shown(user):
    """The counts the dashboard shows ``user``: label → number."""
    return {c.label: c.count for c in worklist(fresh(user), date(2030, 1, 7)) if c.shown}


@pytest.mark.django_db
def test_a_director_is_shown_only_what_waits_for_them(make_user):
    """A director drafts nothing and approves no section's draft (待拟写答复, 待科长审核 are the
    section's work); the director supervising 综合科 approves replies while 沟通信箱设置 asks
    for it (第十四条), and otherwise sees the row only while a reply sent to them still waits."""
    people = make_people(make_user)
    add_letters(people, 30)
    director, office_director = people["director"], people["office_director"]
    assert shown(director) == {"超期": overdue_of(director)}
    waiting_for_director = Letter.objects.awaiting_director_review().count()
    assert waiting_for_director > 0  # sent to the director before the setting was turned off
    assert shown(office_director) == {
        "待主管主任审核答复": waiting_for_director,
        "超期": overdue_of(office_director),
    }
    Letter.objects.awaiting_director_review().update(status=Status.REPLIED, reply="答复")
    assert shown(office_director) == {"超期": overdue_of(office_director)}
    settings = MailboxSettings.load()
    settings.directors_approve_replies = True
    settings.save()
    assert shown(office_director) == {
        "待主管主任审核答复": 0,
        "超期": overdue_of(office_director),
    }
