"""静态发布 of the whole site in the background: 综合科-网站管理 starts it from the admin
(设置 → 静态发布, 重新生成全部页面); resumable where its worker was killed."""

from django.urls import reverse

from govsite.jobs import runner
from govsite.jobs.models import Job

from .whole_site import publish_site

LABEL = "静态发布：重新生成全部页面"


@runner.job_task
def publish_site_job(job):
    """Regenerate every published file; the progress is the pages done, the checkpoint the tree
    path of the last one, after which a resumed run carries on (without emptying the tree)."""
    outcome = publish_site(
        resume=job.checkpoint or None,
        progress=lambda done, total, checkpoint: runner.advance(
            job, done, total, checkpoint=checkpoint
        ),
    )
    return outcome.message


def running_job():
    return Job.objects.unfinished().of(publish_site_job).first()


def last_run():
    """The latest run that has ended, with its outcome (or its error)."""
    return Job.objects.finished().of(publish_site_job).select_related("requested_by").first()


def start_publish_site(user=None):
    """The run under way, or a new one. Never two at once."""
    return runner.start_once(
        publish_site_job, LABEL, user=user, url=reverse("govsite_publishing:site")
    )
