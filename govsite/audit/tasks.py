"""The audit log's retention (R-SEC-4) as a periodic task."""

import logging

from crontask import cron
from django.tasks import task

from .retention import purge, purge_due

logger = logging.getLogger(__name__)


@cron("17 * * * *")
@task
def purge_audit_log():
    """Hourly look, daily work: once a day remove the entries past the retention (never younger
    than 180 days). Looking every hour catches up on a day the scheduler was down."""
    if not purge_due():
        return 0
    removed = purge()
    logger.info("审计日志保留期清理：删除 %d 条过期记录。", removed)
    return removed
