"""备份 from the admin (等保 2.0 "数据备份恢复"): 系统管理员 starts a backup, which runs as a
background job — ``operations.make_backup``, as ``manage.py backup`` runs it — and writes the
archive where the command writes it (``GOVSITE_BACKUP_ROOT``). Restoring stays on the command
line."""

from django.urls import reverse

from govsite.jobs import runner
from govsite.jobs.models import Job

from . import files
from .operations import human_size, make_backup
from .rules import described_counts

LABEL = "备份数据库和上传文件"


@runner.job_task
def backup_job(job):
    """One archive of the database and every stored file; the progress is its steps (the
    database snapshot, then each storage), the message names the archive. Not resumable: a
    backup cut short leaves no archive and is run again from the start."""
    steps = 1 + len(files.backed_up_aliases())
    runner.advance(job, 0, steps)
    done = 0

    def step(message):
        nonlocal done
        done += 1
        runner.advance(job, min(done, steps))

    report = make_backup(progress=step)
    manifest = report.manifest
    lines = [
        f"已写入备份：{report.path}（{human_size(report.size)}，"
        f"{len(manifest['members'])} 个条目，仅所有者可读写）。",
        f"记录数：{described_counts(manifest['counts'])}。",
    ]
    if report.skipped:
        lines.append(f"备份过程中已被删除、未收入的文件 {len(report.skipped)} 个。")
    return "\n".join(lines)


def running_job():
    return Job.objects.unfinished().of(backup_job).first()


def start_backup(user=None):
    """The backup under way, or a new one. Never two at once."""
    return runner.start_once(backup_job, LABEL, user=user, url=reverse("govsite_backup:index"))
