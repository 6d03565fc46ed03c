"""信息报送's background work (第十六、二十二条; R-INFO-3): the monthly reminder of sections short
of their quota, and the 通报 as an .xlsx file (a job, never in a request)."""

import logging

from crontask import cron
from django.db import IntegrityError, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from govsite.jobs import runner, storage
from govsite.notices.delivery import notify

from . import reports, rules
from .exports import bulletin_workbook
from .models import QuotaReminder, ReportingSettings

logger = logging.getLogger(__name__)


def reminder_text(standing, year, month):
    return (
        f"{year}年{month}月，{standing.section.name}已报送动态信息 {standing.sent} 条，"
        f"本月定额 {standing.quota} 条，尚差 {standing.short_by} 条。"
        f"请信息员撰写并提交，经科长审核后报送综合科（第十六条：每月至少报送一条）。"
    )


def remind(now=None):
    """R-INFO-3, 第十六条: on ``ReportingSettings.reminder_day`` (or the first run after it, when
    the day was missed) each section below its quota this month gets a notice — in the admin and
    by e-mail — to its 信息员 and 科长, saying how many it sent and its quota. Once per section per
    month (``QuotaReminder``); a section that met its quota, or is exempt (quota 0), gets none.
    Returns the sections reminded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    settings = ReportingSettings.load()
    if today.day < settings.reminder_day:
        return []
    reminded = set(
        QuotaReminder.objects.of_month(today.year, today.month).values_list("section_id", flat=True)
    )
    url = reverse("reporting_items:add")
    done = []
    for standing in reports.shortfall(today.year, today.month, settings=settings):
        section = standing.section
        if section.pk in reminded:
            continue
        try:
            with transaction.atomic():
                QuotaReminder.objects.create(
                    section=section,
                    month=today.replace(day=1),
                    sent=standing.sent,
                    quota=standing.quota,
                    reminded_at=now,
                )
                title = f"{today.month}月信息报送尚差 {standing.short_by} 条"
                text = reminder_text(standing, today.year, today.month)
                for user in [*section.officers(), *section.chiefs()]:
                    notify(user, title, text, url)
        except IntegrityError:  # another run reminded it meanwhile
            continue
        done.append(section)
    return done


@cron("0 9 * * *")
@task
def remind_short_sections(now=None):
    """Every morning at 9: the monthly reminder of sections short of their quota (``remind``;
    第十六条, R-INFO-3). Acts only from the reminder day on, once per section per month."""
    sections = remind(now)
    if sections:
        logger.info(
            "信息报送提醒：%d 个科室本月尚未报送够数（%s）。",
            len(sections),
            "、".join(section.name for section in sections),
        )
    return [section.pk for section in sections]


# The 通报 as a file (an .xlsx laid out for printing) -------------------------------------------


def export_label(period):
    return f"导出{period}各科室信息报送通报（Excel）"


def export_filename(period):
    return f"信息报送通报-{period}.xlsx"


@runner.job_task
def export_bulletin_job(job, kind, year, number):
    """The 通报 of the period as its requester sees it (``rules.bulletin_sections``: the whole
    office for 综合科, a director's sections, a section's own line), an .xlsx for printing."""
    user = job.requested_by
    if user is None:
        raise ValueError("发起导出的账号已不存在，未导出。")
    period = reports.Period(kind, year, number)
    sections = rules.bulletin_sections(user)
    if sections == []:
        raise ValueError("该账号没有可查看的信息报送通报，未导出。")
    shown = reports.bulletin(period).for_sections(sections)
    storage.save_result(job, export_filename(period), bulletin_workbook(shown))
    runner.advance(job, len(shown.lines), len(shown.lines))
    return f"已导出{shown.title}（{len(shown.lines)} 个科室），可以下载。"
