"""Rebuilding the search index in the background (SPEC §11): once the dictionary has changed
and been quiet, by the scheduler; or when 综合科 asks for it."""

from crontask import cron
from django.tasks import task

from govsite.jobs import runner
from govsite.jobs.models import Job

from .reindex import objects_to_index, reindex, reindex_due

LABEL = "重建站内搜索索引"


@runner.job_task
def reindex_job(job):
    """Index every page, image and document again with the current dictionary; the progress is
    the objects indexed. Not resumable: a rebuild cut short is run again from the start."""
    runner.advance(job, 0, objects_to_index())
    indexed = reindex(progress=lambda indexed: runner.advance(job, indexed))
    runner.advance(job, indexed)
    return f"搜索索引已按当前搜索词典重建，共索引 {indexed} 条内容（页面、图片、文档）。"


def running_job():
    return Job.objects.unfinished().of(reindex_job).first()


def start_reindex(user=None, url=""):
    """The rebuild under way, or a new one. Never two at once."""
    return runner.start_once(reindex_job, LABEL, user=user, url=url)


@cron("* * * * *")
@task
def reindex_when_due():
    """Every minute: once the dictionary has changed and been quiet, rebuild the index."""
    if reindex_due() and running_job() is None:
        start_reindex()
        return True
    return False
