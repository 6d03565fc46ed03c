"""The audit log's background work (R-SEC-4): its exports, of any size, and its retention as a
periodic task."""

import logging
import tempfile

from crontask import cron
from django.http import QueryDict
from django.tasks import task

from govsite.exports.tables import FORMAT_NAMES
from govsite.jobs import runner, storage

from . import exports, selection
from .retention import purge, purge_due

logger = logging.getLogger(__name__)


def export_label(export_type):
    return f"导出审计日志（{FORMAT_NAMES[export_type]}）"


@runner.job_task
def export_job(job, export_type, query, up_to, filename):
    """The entries the list showed for ``query`` when the export was asked for (none written
    after the entry ``up_to``, the last one then) as a file for the auditor who asked. Written
    to a temporary file, kept as the job's result (private storage, downloaded through the
    job's page by that auditor alone: ``Job.result_permission``)."""
    entries = selection.selected(QueryDict(query)).filter(pk__lte=up_to)
    runner.advance(job, 0, entries.count())
    with tempfile.TemporaryFile() as out:
        rows = exports.WRITERS[export_type](
            runner.read_in_chunks(entries, 2000), out, lambda done: runner.advance(job, done)
        )
        out.seek(0)
        storage.save_result(job, filename, out)
    runner.advance(job, rows)
    return f"已导出审计日志 {rows} 条（{FORMAT_NAMES[export_type]} 文件），可以下载。"


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
