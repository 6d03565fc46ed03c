"""The 专栏's periodic work (R-TOPIC-1; 第十一条)."""

import logging

from crontask import cron
from django.tasks import task
from django.utils.dateparse import parse_date

from . import actions

logger = logging.getLogger(__name__)


@cron("5 0 * * *")
@task
def archive_ended_topics(today=None):
    """Every night (R-TOPIC-1): archive the 专栏 whose period ended before today — still
    reachable, marked 已归档, closed to new content, listed under 往期专题. ``today`` (ISO
    text, for a frozen clock in tests) defaults to the office's date."""
    if isinstance(today, str):
        today = parse_date(today)
    archived = actions.archive_ended(today)
    if archived:
        logger.info("专栏归档：%s。", "、".join(page.title for page in archived))
    return [page.pk for page in archived]
