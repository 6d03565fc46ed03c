"""已发布信息复查 (R-SCREEN-1, 第十九条) in the background: started from the admin or, once the
lexicon has changed and been quiet, by the scheduler; resumable where its worker was killed."""

from crontask import cron
from django.tasks import task
from django.urls import reverse

from govsite.jobs import runner
from govsite.jobs.models import Job

from .engine import current_lexicon
from .models import RescreenRun
from .rescreen import published_pages, rescreen_due, rescreen_published

LABEL = "已发布信息复查"


@runner.job_task
def rescreen_job(job):
    """Screen every published page; the job's checkpoint names the run, which knows where it
    had got to."""
    run = RescreenRun.objects.filter(pk=job.checkpoint.get("run"), finished_at=None).first()
    if run is None:
        run = RescreenRun.objects.create(lexicon_stamp=current_lexicon().stamp)
        runner.advance(job, 0, published_pages().count(), checkpoint={"run": run.pk})
    run = rescreen_published(run=run, progress=lambda run: runner.advance(job, run.pages_checked))
    runner.advance(job, run.pages_checked)
    return f"检查已发布信息 {run.pages_checked} 条，{len(run.flagged)} 条未通过。"


def running_job():
    return Job.objects.unfinished().of(rescreen_job).first()


def start_rescreen(user=None):
    """The running re-screening, or a new one. Never two at once."""
    return runner.start_once(
        rescreen_job, LABEL, user=user, url=reverse("screening_rescreen:report")
    )


@cron("* * * * *")
@task
def rescreen_when_due():
    """Every minute: once the lexicon has changed and been quiet, re-screen what is published."""
    if rescreen_due() and running_job() is None:
        start_rescreen()
        return True
    return False
