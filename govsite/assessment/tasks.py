"""The assessment's periodic work (第十五条; R-ASSESS-1)."""

import logging

from crontask import cron
from django.tasks import task
from django.utils.dateparse import parse_datetime

from . import reminders

logger = logging.getLogger(__name__)


@cron("10 7 * * *")
@task
def remind_freshness(now=None):
    """Every morning (第十五条): remind the owners of columns about to be due or overdue, once per
    due date, and warn 综合科 when an office-wide count reaches a 单项否决 warning line
    (``reminders``). ``now`` (ISO text, for a frozen clock in tests) defaults to now."""
    if isinstance(now, str):
        now = parse_datetime(now)
    reminded, warned = reminders.remind(now)
    if reminded or warned:
        logger.info("栏目更新提醒：提醒栏目 %d 个，单项否决预警 %d 项。", reminded, warned)
    return [reminded, warned]
