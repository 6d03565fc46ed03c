"""Starting, running and recovering background jobs (``Job``) on Django's task framework.

- ``job_task`` turns ``fn(job, **arguments)`` into a task that keeps its ``Job`` up to date:
  running, progress (``advance``), done with a message, or failed with the error — logged
  and shown to 系统管理员, who can run it again (``retry``). A job whose record has vanished
  ends quietly with a logged reason.
- ``start`` records a job and enqueues its task once the transaction commits; ``start_once``
  does so only when no job of that task is queued or running.
- ``recover_abandoned`` puts back what a killed worker was running: the job resumes from its
  ``checkpoint``.
- ``read_in_chunks`` reads what a job goes through a chunk at a time, each chunk whole, so that
  no read stays open while the job records its progress.
"""

import functools
import logging
import os
import socket
import traceback

from django.db import transaction
from django.tasks import task
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from .models import Job, WorkerHeartbeat

logger = logging.getLogger(__name__)

WORKER_ENV = "GOVSITE_WORKER_ID"


def worker_id():
    """This worker's identity: given by ``run_worker`` to itself and every process it forks."""
    return os.environ.get(WORKER_ENV) or f"{socket.gethostname()}:{os.getpid()}"


def job_task(fn):
    """A task running ``fn(job, **arguments)`` for the ``Job`` it is given by ``start``."""

    @functools.wraps(fn)
    def run(job_id, **arguments):
        job = Job.objects.filter(pk=job_id).first()
        if job is None:
            logger.warning("后台任务记录 %s 已不存在，任务 %s 不再运行。", job_id, fn.__name__)
            return None
        if job.status == Job.Status.DONE:
            logger.info("后台任务「%s」（%s）已完成，不再重复运行。", job.label, job.pk)
            return job.message
        job.status, job.attempts = Job.Status.RUNNING, job.attempts + 1
        job.started_at, job.runner, job.error = timezone.now(), worker_id(), ""
        job.save(update_fields=["status", "attempts", "started_at", "runner", "error"])
        try:
            message = fn(job, **arguments)
        except Exception:
            job.status, job.finished_at = Job.Status.FAILED, timezone.now()
            job.error = traceback.format_exc(limit=20)[-20000:]
            job.save(update_fields=["status", "finished_at", "error"])
            logger.exception("后台任务「%s」（%s）失败。", job.label, job.pk)
            raise
        job.status, job.finished_at = Job.Status.DONE, timezone.now()
        if message is not None:
            job.message = message
        job.save(update_fields=["status", "finished_at", "message"])
        return job.message

    return task(run)


def read_in_chunks(queryset, size):
    """The rows of ``queryset`` in its order, ``size`` at a time, each chunk read whole.

    A job writes (``advance``) while it goes through its rows, and the worker's heartbeat writes
    from another connection every few seconds: on SQLite a read left open across the job's write
    holds a snapshot that the heartbeat has made stale, and the write is refused ("database is
    locked") without waiting. The ids are read first, then each chunk by its ids."""
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        yield from queryset.filter(pk__in=ids[start : start + size])


def advance(job, done, total=None, checkpoint=None):
    """Record how far ``job`` got (and where to resume from, for a resumable job)."""
    job.done = done
    if total is not None:
        job.total = total
    fields = ["done", "total"]
    if checkpoint is not None:
        job.checkpoint = checkpoint
        fields.append("checkpoint")
    job.save(update_fields=fields)


def start(job_task_, label, *, user=None, url="", result_permission="", **arguments):
    """Record a job and enqueue its task after the current transaction commits. A
    ``result_permission`` keeps the result file to the requester holding it (``rules``)."""
    job = Job.objects.create(
        label=label,
        task_path=job_task_.module_path,
        arguments=arguments,
        requested_by=user if user is not None and user.is_authenticated else None,
        url=url,
        result_permission=result_permission,
    )
    transaction.on_commit(functools.partial(enqueue, job))
    return job


def start_once(job_task_, label, *, user=None, url="", **arguments):
    """The job of ``job_task_`` already queued or running, or a new one: never two at once."""
    running = Job.objects.unfinished().of(job_task_).first()
    return running or start(job_task_, label, user=user, url=url, **arguments)


def enqueue(job):
    import_string(job.task_path).enqueue(job_id=job.pk, **job.arguments)


def retry(job):
    """Run a failed job again (from its checkpoint, where it keeps one)."""
    job.status, job.error, job.finished_at = Job.Status.QUEUED, "", None
    job.save(update_fields=["status", "error", "finished_at"])
    transaction.on_commit(functools.partial(enqueue, job))


def recover_abandoned(now=None):
    """What a worker that stopped beating (killed, its machine lost) was running is run again:
    on the database backend its task results are made ready again, whatever they were; on any
    backend its jobs go back to the queue and resume from their checkpoint. Returns the jobs."""
    now = now or timezone.now()
    gone = set(
        WorkerHeartbeat.objects.exclude(pk__in=WorkerHeartbeat.objects.alive(now)).values_list(
            "worker_id", flat=True
        )
    )
    if not gone:
        return []
    requeued = _requeue_database_results(gone)
    recovered = list(Job.objects.filter(status=Job.Status.RUNNING, runner__in=gone))
    for job in recovered:
        job.status = Job.Status.QUEUED
        job.error = "后台工作进程中断，任务已重新排队，将从中断处继续。"
        job.save(update_fields=["status", "error"])
        logger.warning("后台任务「%s」（%s）：%s", job.label, job.pk, job.error)
        if job.pk not in requeued:
            transaction.on_commit(functools.partial(enqueue, job))
    WorkerHeartbeat.objects.filter(worker_id__in=gone).delete()
    return recovered


def _requeue_database_results(gone):
    """On the database backend, the task results claimed by workers now gone become ready
    again; returns the ids of the jobs they run."""
    requeued = set()
    for result in DBTaskResult.objects.running():
        if result.worker_ids and result.worker_ids[-1] in gone:
            result.status, result.started_at = TaskResultStatus.READY, None
            result.save(update_fields=["status", "started_at"])
            job_id = (result.args_kwargs or {}).get("kwargs", {}).get("job_id")
            if job_id is not None:
                requeued.add(job_id)
    return requeued
