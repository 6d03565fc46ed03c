"""R-SEC-4 (网络安全法 第二十一条): the retention job removes only entries older than the
retention, never one younger than 180 days whatever the database says, and records its runs."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from govsite.audit import retention, tasks
from govsite.audit.events import record
from govsite.audit.models import AuditEntry, Category
from govsite.security.models import SecurityPolicy


def aged(days, now):
    return record(
        "login",
        actor=None,
        actor_username=f"aged-{days}",
        request=None,
        at=now - timedelta(days=days),
    )


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def entries(db, now):
    return {days: aged(days, now) for days in (10, 179, 181, 200, 400)}


def kept(entries):
    return {days for days, entry in entries.items() if AuditEntry.objects.filter(pk=entry.pk)}


def set_retention(days):
    """Written straight to the database, past the admin's validator (as a bad import might)."""
    policy = SecurityPolicy.load()
    SecurityPolicy.objects.filter(pk=policy.pk).update(audit_retention_days=days)


def test_entries_past_the_retention_are_removed_and_the_run_recorded(entries, now):
    assert retention.purge(now) == 3  # 181, 200 and 400 days old
    assert kept(entries) == {10, 179}
    run = AuditEntry.objects.filter(action="audit_purged").latest("pk")
    assert run.category == Category.AUDIT and run.action_label == "清理过期审计日志"
    assert run.detail["deleted"] == 3 and run.detail["retention_days"] == 180
    assert run.actor is None


def test_a_longer_retention_keeps_more(entries, now):
    set_retention(365)
    assert retention.purge(now) == 1
    assert kept(entries) == {10, 179, 181, 200}


def test_never_younger_than_180_days_even_if_the_database_says_less(entries, now):
    set_retention(30)
    assert retention.retention_days() == 180
    retention.purge(now)
    assert kept(entries) == {10, 179}
    set_retention(0)
    retention.purge(now)
    assert 179 in kept(entries)


def test_the_command_purges_and_says_so(entries):
    out = StringIO()
    call_command("purge_audit_log", stdout=out)
    assert "保留 180 天" in out.getvalue() and "记录 3 条" in out.getvalue()
    assert kept(entries) == {10, 179}
    assert AuditEntry.objects.filter(action="audit_purged").exists()


def test_the_periodic_task_purges_once_a_day(entries, now):
    assert tasks.purge_audit_log.enqueue().return_value == 3
    assert kept(entries) == {10, 179}
    runs = AuditEntry.objects.filter(action="audit_purged")
    assert runs.count() == 1
    assert tasks.purge_audit_log.enqueue().return_value == 0  # not again within the day
    assert runs.count() == 1
    assert retention.purge_due(now + timedelta(days=1, minutes=1))
