"""Housekeeping of the background work itself: finished task results and old jobs go."""

import logging
from datetime import timedelta

from crontask import cron
from django.core.files.storage import storages
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import Job

logger = logging.getLogger(__name__)

# A successful task result is of no use after a week; a failed one is kept a month for
# 系统管理员 to read. A finished job (and its result file) is kept half a year.
KEEP_SUCCESSFUL = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)
KEEP_JOBS = timedelta(days=180)


@cron("40 3 * * *")
@task
def prune_finished_work(now=None):
    """Every night: the database queue's finished results and the jobs past their keeping."""
    now = now or timezone.now()
    results = DBTaskResult.objects.successful().filter(finished_at__lt=now - KEEP_SUCCESSFUL)
    failed = DBTaskResult.objects.failed().filter(finished_at__lt=now - KEEP_FAILED)
    removed_results = results.delete()[0] + failed.delete()[0]
    old_jobs = Job.objects.filter(finished_at__lt=now - KEEP_JOBS)
    private = storages["private"]
    for name in old_jobs.exclude(result_file="").values_list("result_file", flat=True):
        private.delete(name)
    removed_jobs = old_jobs.delete()[0]
    if removed_results or removed_jobs:
        logger.info(
            "后台任务清理：删除已完成的任务结果 %d 条、过期的后台任务 %d 个。",
            removed_results,
            removed_jobs,
        )
    return [removed_results, removed_jobs]
