"""栏目更新提醒 (第十五条): the owners are told once per due date as a column enters its warning
window and once more when it is overdue; 综合科 is told when an office count rises to a warning
or a 单项否决 line, once per change. All with an explicit clock."""

import pytest

from govsite.assessment import reminders, tasks
from govsite.assessment.models import FreshnessReminder, VetoLine, VetoWarning
from govsite.notices.models import Notice
from govsite.testing.helpers import sub_column

from .factories import moment, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_office(role_users):
    """Lines the bootstrapped tree (every column blank) does not reach, and a homepage kept
    fresh, so that only the columns under test speak."""
    VetoLine.objects.update(limit=200, warn_at=100)
    return role_users


def notices_of(user):
    notices = Notice.objects.filter(recipient=user).order_by("pk")
    return list(notices.values_list("title", flat=True))


def warnings_to(user):
    return [title for title in notices_of(user) if title.startswith("单项否决")]


def test_owners_told_once_before_due_and_once_when_overdue(quiet_office):
    officer, chief = quiet_office["督查室-信息员"], quiet_office["督查室-科长"]
    other = quiet_office["秘书科-信息员"]
    column = sub_column("工程进展")
    published(column, moment(2026, 3, 1))
    assert reminders.remind(moment(2026, 3, 11))[0] == 0  # 4 days before: not yet
    assert reminders.remind(moment(2026, 3, 12))[0] == 1  # 3 days before the 15th
    assert notices_of(officer) == ["栏目即将到期：工程进展"]
    assert notices_of(chief) == ["栏目即将到期：工程进展"]
    text = Notice.objects.filter(recipient=officer).get().text
    assert "2026-03-15 前更新" in text and "还有 3 天" in text
    assert reminders.remind(moment(2026, 3, 13))[0] == 0  # the same due date: told already
    assert reminders.remind(moment(2026, 3, 16))[0] == 1  # overdue: told once more
    assert reminders.remind(moment(2026, 3, 17))[0] == 0
    assert notices_of(officer) == ["栏目即将到期：工程进展", "栏目已超期未更新：工程进展"]
    assert notices_of(other) == []
    assert FreshnessReminder.objects.filter(column=column).count() == 2


def test_a_new_item_starts_a_new_due_date(quiet_office):
    column = sub_column("工程进展")
    published(column, moment(2026, 3, 1))
    reminders.remind(moment(2026, 3, 12))
    published(column, moment(2026, 3, 14))
    assert reminders.remind(moment(2026, 3, 26))[0] == 1  # due 2026-03-28
    assert set(FreshnessReminder.objects.values_list("due_on", flat=True)) == {
        moment(2026, 3, 15).date(),
        moment(2026, 3, 28).date(),
    }


def test_office_warned_once_per_change_of_level(role_users):
    officer, chief = role_users["综合科-信息员"], role_users["综合科-科长"]
    VetoLine.objects.update(limit=200, warn_at=100)
    VetoLine.objects.filter(measure="blank").update(limit=40, warn_at=3)
    at = moment(2026, 6, 1)
    published(sub_column("工作动态"), moment(2026, 5, 30))  # homepage fresh
    assert reminders.remind(at)[1] == 1
    [title] = notices_of(officer)
    assert title.startswith("单项否决预警：空白栏目")
    assert notices_of(chief) == [title]
    assert reminders.remind(moment(2026, 6, 2))[1] == 0  # still the same: not told again
    VetoLine.objects.filter(measure="blank").update(limit=5)
    assert reminders.remind(moment(2026, 6, 3))[1] == 1  # rose to the limit
    assert notices_of(officer)[-1].startswith("单项否决已达否决线：空白栏目")
    assert notices_of(role_users["督查室-信息员"]) == []


def test_homepage_line_warned(role_users):
    VetoLine.objects.update(limit=200, warn_at=100)
    published(sub_column("工作动态"), moment(2026, 5, 1))
    reminders.remind(moment(2026, 5, 13))  # due 2026-05-15: within 3 days
    assert warnings_to(role_users["综合科-科长"]) == ["单项否决预警：首页更新"]
    reminders.remind(moment(2026, 5, 16))
    assert warnings_to(role_users["综合科-科长"])[-1] == "单项否决已达否决线：首页更新"
    published(sub_column("工作动态"), moment(2026, 5, 17))
    reminders.remind(moment(2026, 5, 18))
    assert VetoWarning.objects.filter(measure="homepage").first().level == "ok"
    assert len(warnings_to(role_users["综合科-科长"])) == 2  # back to normal: no notice


def test_the_daily_task(quiet_office):
    published(sub_column("工程进展"), moment(2026, 3, 1))
    # the column is overdue, and so is the homepage (nothing newer anywhere)
    assert tasks.remind_freshness.call(now=moment(2026, 3, 16).isoformat()) == [1, 1]
    assert tasks.remind_freshness.call(now=moment(2026, 3, 16).isoformat()) == [0, 0]
