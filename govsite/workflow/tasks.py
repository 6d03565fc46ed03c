"""The review chain's background work: 定时发布 (R-FLOW-2) as a periodic task — publish approved
pages when their time comes and take expired ones offline, through Wagtail's own
``publish_scheduled``, logging each — and the exports of the 审核记录 (R-FLOW-4) as jobs."""

import functools
import logging
import tempfile
from datetime import datetime
from io import StringIO

from crontask import cron
from django.core.management import call_command
from django.tasks import task
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from govsite.exports.tables import FORMAT_NAMES
from govsite.jobs import runner, storage

from . import exports

logger = logging.getLogger(__name__)

SCHEDULED_ACTIONS = {
    "wagtail.publish.scheduled": "定时发布",
    "wagtail.unpublish.scheduled": "到期下线",
}


@cron("* * * * *")
@task
def publish_scheduled():
    """Every minute: what an approved revision's 发布时间 or a page's 下线时间 says is due."""
    started = timezone.now()
    call_command("publish_scheduled", stdout=StringIO())
    done = [
        f"{SCHEDULED_ACTIONS[entry.action]}：《{entry.label}》"
        for model in (PageLogEntry, ModelLogEntry)
        for entry in model.objects.filter(
            action__in=SCHEDULED_ACTIONS, timestamp__gte=started
        ).order_by("timestamp", "pk")
    ]
    for line in done:
        logger.info(line)
    return done


# 审核记录 exports (R-FLOW-4): of any size, never in a request ------------------------------------


def export_label(export_type, page=None):
    what = f"《{page.get_admin_display_title()}》的审核记录" if page else "全办审核记录"
    return f"导出{what}（{FORMAT_NAMES[export_type]}）"


@runner.job_task
def export_record_job(job, export_type, filename, page_id=None, start=None, end=None):
    """The 审核记录 of one page (``page_id``), or of the whole office for [start, end) (ISO
    datetimes), as the list shows it, written to a file for whoever asked: the job's result,
    downloaded from the job's page."""
    if page_id is not None:
        rows = exports.page_record(Page.objects.get(pk=page_id).specific).rows
        runner.advance(job, 0, len(rows))
        progress = functools.partial(runner.advance, job)
    else:
        # Rows are known only as each page is read: the progress counts pages.
        start, end = datetime.fromisoformat(start), datetime.fromisoformat(end)
        runner.advance(job, 0, exports.touched_pages(start, end).count())
        rows = exports.office_record(start, end, progress=functools.partial(runner.advance, job))
        progress = None
    with tempfile.TemporaryFile() as out:
        written = exports.WRITERS[export_type](rows, out, progress)
        out.seek(0)
        storage.save_result(job, filename, out)
    runner.advance(job, written, written)
    return f"已导出审核记录 {written} 条（{FORMAT_NAMES[export_type]} 文件），可以下载。"
