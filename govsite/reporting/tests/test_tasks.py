"""The monthly reminder (R-INFO-3; 第十六条): from the reminder day, once per section per month,
to the 信息员 and 科长 of each section below its quota — in the admin and by e-mail."""

import pytest
from django.core import mail

from govsite.notices.models import Notice
from govsite.testing.helpers import section

from .. import tasks
from ..models import QuotaReminder
from .factories import at, quota, sent_item, settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(role_users):
    settings(reminder_day=20, monthly_quota=1)
    return role_users


def reminded_sections(now):
    return {sec.name for sec in tasks.remind(now)}


def test_nothing_before_the_reminder_day(people):
    assert tasks.remind(at(2026, 3, 19, 23, 59)) == []
    assert not Notice.objects.exists()


def test_on_the_day_short_sections_officers_and_chiefs_are_told(
    people, django_capture_on_commit_callbacks
):
    mishu = section("秘书科")
    sent_item(section("文书科"), at(2026, 3, 5))
    with django_capture_on_commit_callbacks(execute=True):
        reminded = reminded_sections(at(2026, 3, 20, 9))
    assert "秘书科" in reminded and "文书科" not in reminded
    notices = Notice.objects.filter(recipient__in=[*mishu.officers(), *mishu.chiefs()])
    assert notices.count() == 2
    notice = notices.first()
    assert notice.title == "3月信息报送尚差 1 条"
    assert "已报送动态信息 0 条，本月定额 1 条，尚差 1 条" in notice.text
    assert notice.url
    assert not Notice.objects.filter(recipient__username__startswith="wenshu").exists()
    assert any("秘书科" in message.body for message in mail.outbox)
    assert {m.to[0] for m in mail.outbox} >= {"mishu_officer@example.cn", "mishu_chief@example.cn"}


def test_not_repeated_the_same_day_nor_later_in_the_month(people):
    first = reminded_sections(at(2026, 3, 20, 9))
    count = Notice.objects.count()
    assert first
    assert tasks.remind(at(2026, 3, 20, 15)) == []
    assert tasks.remind(at(2026, 3, 28, 9)) == []
    assert Notice.objects.count() == count
    assert QuotaReminder.objects.of_month(2026, 3).count() == len(first)
    # Next month is a new month.
    assert reminded_sections(at(2026, 4, 20, 9)) == first


def test_a_missed_reminder_day_is_caught_up_once(people):
    assert "秘书科" in reminded_sections(at(2026, 3, 23, 9))
    assert tasks.remind(at(2026, 3, 24, 9)) == []


def test_a_section_that_met_its_own_quota_or_is_exempt_is_not_reminded(people):
    quota(section("秘书科"), 2)
    sent_item(section("秘书科"), at(2026, 3, 1))
    quota(section("文书科"), 0)
    quota(section("督查室"), 1)
    sent_item(section("督查室"), at(2026, 3, 2))
    reminded = reminded_sections(at(2026, 3, 20, 9))
    assert "秘书科" in reminded  # 1 of 2
    assert "文书科" not in reminded and "督查室" not in reminded
    record = QuotaReminder.objects.get(section__name="秘书科")
    assert (record.sent, record.quota) == (1, 2)


def test_the_periodic_task_and_its_label(people):
    from govsite.jobs.models import TASK_LABELS

    result = tasks.remind_short_sections.call(now=at(2026, 3, 20, 9))
    assert len(result) == QuotaReminder.objects.count() > 0
    assert TASK_LABELS[tasks.remind_short_sections.module_path] == "信息报送提醒"
