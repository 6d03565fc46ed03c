"""R-SEC-4: remove the audit entries past the retention (never younger than 180 days)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from govsite.audit import retention


class Command(BaseCommand):
    help = "清理超过保留期的审计日志（保留期不少于 180 天，见安全策略），并记录本次清理。"

    def handle(self, *args, **options):
        now = timezone.now()
        days = retention.retention_days()
        before = retention.cutoff(now)
        deleted = retention.purge(now)
        self.stdout.write(
            f"审计日志保留 {days} 天：已删除 {timezone.localtime(before):%Y-%m-%d %H:%M} "
            f"之前的记录 {deleted} 条。"
        )
