"""督办 of letters as a periodic task (R-MAIL-3, R-MAIL-5)."""

import logging

from crontask import cron
from django.tasks import task

from . import cases

logger = logging.getLogger(__name__)


@cron("* * * * *")
@task
def supervise_letters():
    """Every minute: remind sections before a deadline, escalate overdue letters, warn of
    letters near the 3-month limit (``cases.supervise`` acts on each letter once)."""
    reminded, escalated, near_limit = cases.supervise()
    if reminded or escalated or near_limit:
        logger.info(
            "来信督办：到期提醒 %d 件，超期督办 %d 件，将满 3 个月未答复 %d 件。",
            reminded,
            escalated,
            near_limit,
        )
    return [reminded, escalated, near_limit]
