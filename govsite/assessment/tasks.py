"""The assessment's periodic work (第十五条; R-ASSESS-1)."""

import logging

from crontask import cron
from django.tasks import task
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from govsite.jobs import runner, storage
from govsite.sections.models import Section

from . import exports, reminders
from .forms import period_scores

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


@runner.job_task
def export_scores_job(job, values, section_ids):
    """第二十二条: the 考核表 of a period (``values``: ``ScorePeriodForm.values``) for the
    sections the requester saw (``section_ids``), written as .xlsx and kept as the job's
    result for the requester."""
    sections = list(Section.objects.filter(pk__in=section_ids).order_by("sort_order", "name"))
    scores = period_scores(values, sections)
    name = exports.filename(scores)
    storage.save_result(job, name, exports.assessment_bytes(scores, timezone.localtime()))
    return f"已导出{scores.label}考核表（{len(scores.rows)} 个科室），可以下载。"
