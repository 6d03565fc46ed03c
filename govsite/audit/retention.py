"""How long the audit log is kept (R-SEC-4; 网络安全法 第二十一条: at least six months).

``SecurityPolicy.audit_retention_days`` says how long; it can be raised in the admin, never set
below 180 days (its validator). Whatever the database holds, this module never removes an
entry younger than ``FLOOR_DAYS``: the figure is clamped here too.

``purge`` is the one removal of audit entries there is. It is run by ``manage.py
purge_audit_log`` and once a day by the scheduler (``tasks.purge_audit_log``), and every run
is itself recorded, with how many entries it removed and up to when.
"""

from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone

from govsite.security.models import SecurityPolicy

from .events import record
from .models import AuditEntry

FLOOR_DAYS = 180
PURGE_EVERY = timedelta(days=1)


def retention_days():
    """The retention in force: the policy's, never less than ``FLOOR_DAYS``."""
    configured = SecurityPolicy.load().audit_retention_days or 0
    return max(FLOOR_DAYS, configured)


def cutoff(now=None):
    """Entries written before this moment are past the retention."""
    return (now or timezone.now()) - timedelta(days=retention_days())


def purge(now=None, actor=None):
    """Remove the entries past the retention; record the run; return how many went."""
    now = now or timezone.now()
    days = retention_days()
    before = now - timedelta(days=days)
    with transaction.atomic():
        expired = AuditEntry.objects.older_than(before)
        # The QuerySet refuses ``delete()`` to everyone else (models.AuditEntryQuerySet).
        deleted, _ = models.QuerySet.delete(expired)
        record(
            "audit_purged",
            actor=actor,
            request=None,
            summary=f"保留 {days} 天，删除 {timezone.localtime(before):%Y-%m-%d %H:%M} "
            f"之前的记录 {deleted} 条",
            detail={"retention_days": days, "cutoff": before.isoformat(), "deleted": deleted},
        )
    return deleted


def purge_due(now=None):
    """True when no purge has run within the last day (the scheduler runs it once a day)."""
    now = now or timezone.now()
    last = (
        AuditEntry.objects.filter(action="audit_purged")
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return last is None or last <= now - PURGE_EVERY
