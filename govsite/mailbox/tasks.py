"""The mailbox's background work: 督办 of letters as a periodic task (R-MAIL-3, R-MAIL-5) and
the 整理上报 summary of a period as a file (R-MAIL-3, 第十一条), a job of any size."""

import logging
import tempfile

from crontask import cron
from django.core.files.storage import storages
from django.db import transaction
from django.tasks import task

from govsite.exports.tables import FORMAT_NAMES
from govsite.jobs import runner, storage
from govsite.publishing.rules import Stale
from govsite.publishing.signal_handlers import purge_on_commit

from . import cases, exports, reports
from .admin.forms import SummaryForm

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


@cron("5 * * * *")
@task
def refresh_homepage_figures():
    """Every hour: the published homepage shows this year's 来信统计 (R-SITE-1, R-MAIL-5), which
    no page publication changes; it is purged and rendered again with the current figures."""
    purge_on_commit(Stale(urls={"/"}))
    received, answered = reports.year_to_date()
    return [received, answered]


# 整理上报 as a file (R-MAIL-3): of any size, never in a request ----------------------------------


def export_label(export_type, start, end):
    return f"导出 {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 来信汇总（{FORMAT_NAMES[export_type]}）"


def export_filename(export_type, start, end):
    return f"来信汇总-{start:%Y%m%d}-{end:%Y%m%d}.{export_type}"


def report_note(export_type, start, end):
    """What each letter's record says of the report it went into."""
    return f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d} 来信汇总（{export_type}）"


@runner.job_task
def export_summary_job(job, export_type, values):
    """第十一条 "由综合科整理上报": the letters of the period that pass the filters
    (``values``: the 整理上报 form's, as ``SummaryForm.values`` gives them) with the period's
    statistics, written to a file for the member of 综合科 who asked (``job.requested_by``).

    The file is the report: each letter in it gets a 整理上报 entry (``cases.record_report``)
    in the same transaction as the file becomes the job's result. A job that fails records
    nothing and offers no file, and running it again reports once; a job whose file was kept
    (its worker killed before it was marked done) is not reported twice."""
    if job.result_file:
        return job.message or "已导出来信汇总，可以下载。"
    if job.requested_by is None:
        raise ValueError("发起导出的账号已不存在，未导出，也未登记整理上报。")
    form = SummaryForm(values)
    if not form.is_valid():
        errors = "；".join(
            f"{form.fields[name].label if name in form.fields else ''}：{error}".lstrip("：")
            for name, errors in form.errors.items()
            for error in errors
        )
        raise ValueError(f"导出条件有误：{errors}")
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    letters = list(form.letters())
    runner.advance(job, 0, len(letters))
    with tempfile.TemporaryFile() as out:
        written = exports.WRITERS[export_type](
            exports.summary_rows(letters), out, reports.statistics(start, end)
        )
        out.seek(0)
        _keep_and_record(job, export_filename(export_type, start, end), out, letters, start, end)
    runner.advance(job, written, written)
    return (
        f"已导出来信 {written} 封（{FORMAT_NAMES[export_type]} 文件），"
        f"每封信件已登记“整理上报”，可以下载。"
    )


def _keep_and_record(job, filename, out, letters, start, end):
    """The file becomes the job's result and every letter in it is recorded as reported —
    both or neither. A file stored by a transaction that then failed is removed."""
    export_type = filename.rsplit(".", 1)[-1]
    try:
        with transaction.atomic():
            cases.record_report(letters, job.requested_by, report_note(export_type, start, end))
            storage.save_result(job, filename, out)
    except Exception:
        if job.result_file:
            storages["private"].delete(job.result_file)
            job.result_file = job.result_name = ""
        raise
