"""A background job keeps its record: progress, outcome, the error of a failure, a run again
that resumes, a vanished record that ends quietly, and the jobs a killed worker left."""

import logging
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from govsite.jobs import runner
from govsite.jobs.models import Job, WorkerHeartbeat

pytestmark = pytest.mark.django_db

# What the example job does, and how often it has been asked to fail.
BEHAVIOUR = {"fail": 0}


@runner.job_task
def count_to(job, upto):
    """An example job: counts, one checkpoint per number, resuming where it stopped."""
    start = job.checkpoint.get("at", 0)
    for number in range(start + 1, upto + 1):
        if BEHAVIOUR["fail"]:
            BEHAVIOUR["fail"] -= 1
            raise RuntimeError(f"数到 {number} 时出错")
        runner.advance(job, number, upto, checkpoint={"at": number})
    return f"数到了 {upto}。"


@pytest.fixture(autouse=True)
def behaviour():
    BEHAVIOUR["fail"] = 0
    yield BEHAVIOUR


def test_a_job_runs_after_commit_and_records_its_outcome(
    make_user, django_capture_on_commit_callbacks
):
    user = make_user("sysadmin", "系统管理员")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = runner.start(count_to, "数数", user=user, upto=3)
    assert job.status == Job.Status.QUEUED and job.requested_by == user
    assert job.task_path == "govsite.jobs.tests.test_runner.count_to"
    assert len(callbacks) == 1  # nothing is enqueued before the transaction commits
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.message == "数到了 3。"
    assert (job.done, job.total, job.percent, job.attempts) == (3, 3, 100, 1)
    assert job.started_at <= job.finished_at and job.runner


def test_a_failure_is_recorded_logged_and_run_again_from_where_it_stopped(
    behaviour, django_capture_on_commit_callbacks, caplog
):
    behaviour["fail"] = 1
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        job = runner.start(count_to, "数数", upto=3)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "数到 1 时出错" in job.error
    assert "后台任务「数数」" in caplog.text and "失败" in caplog.text

    with django_capture_on_commit_callbacks(execute=True):
        runner.retry(job)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.error == "" and job.attempts == 2


def test_a_job_resumes_from_its_checkpoint(django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=False):
        job = runner.start(count_to, "数数", upto=5)
    job.checkpoint, job.done = {"at": 3}, 3
    job.save()
    seen, advance = [], runner.advance
    monkeypatch.setattr(
        runner,
        "advance",
        lambda job, done, *a, **k: advance(job, done, *a, **k) or seen.append(done),
    )
    runner.enqueue(job)
    assert seen == [4, 5]


def test_a_vanished_job_ends_quietly_with_a_reason(caplog):
    with caplog.at_level(logging.WARNING, logger="govsite.jobs.runner"):
        result = count_to.enqueue(job_id=987654, upto=3)
    assert result.status == "SUCCESSFUL" and result.return_value is None
    assert "后台任务记录 987654 已不存在" in caplog.text


def test_a_finished_job_is_not_run_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = runner.start(count_to, "数数", upto=2)
    runner.enqueue(job)  # e.g. a task result put back by mistake
    job.refresh_from_db()
    assert job.attempts == 1 and job.status == Job.Status.DONE


def beat(worker_id, seconds_ago):
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id, seen_at=timezone.now() - timedelta(seconds=seconds_ago)
    )


def test_what_a_dead_worker_ran_goes_back_to_the_queue(django_capture_on_commit_callbacks):
    beat("host:1", seconds_ago=3600)  # killed an hour ago
    beat("host:2", seconds_ago=1)  # alive
    with django_capture_on_commit_callbacks(execute=False):
        dead = runner.start(count_to, "数数（中断）", upto=3)
        alive = runner.start(count_to, "数数（运行中）", upto=3)
    Job.objects.filter(pk__in=[dead.pk, alive.pk]).update(status=Job.Status.RUNNING)
    Job.objects.filter(pk=dead.pk).update(runner="host:1")
    Job.objects.filter(pk=alive.pk).update(runner="host:2")
    # The database queue's own record of the dead worker's task.
    orphan = DBTaskResult.objects.create(
        task_path=count_to.module_path,
        args_kwargs={"args": [], "kwargs": {"job_id": dead.pk, "upto": 3}},
        status="RUNNING",
        worker_ids=["host:1"],
        backend_name="default",
        queue_name="default",
        priority=0,
        run_after=timezone.now(),
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        recovered = runner.recover_abandoned()
    assert [job.pk for job in recovered] == [dead.pk]
    dead.refresh_from_db()
    alive.refresh_from_db()
    orphan.refresh_from_db()
    assert dead.status == Job.Status.QUEUED and "从中断处继续" in dead.error
    assert alive.status == Job.Status.RUNNING
    assert orphan.status == "READY" and orphan.started_at is None
    assert callbacks == []  # the database queue runs it again: not enqueued a second time
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["host:2"]


def test_without_the_database_queue_a_dead_workers_job_is_enqueued_again(
    django_capture_on_commit_callbacks,
):
    beat("host:9", seconds_ago=3600)
    with django_capture_on_commit_callbacks(execute=False):
        job = runner.start(count_to, "数数", upto=2)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, runner="host:9")
    with django_capture_on_commit_callbacks(execute=True):
        runner.recover_abandoned()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 1


def test_nothing_is_recovered_while_every_worker_beats():
    beat("host:2", seconds_ago=1)
    assert runner.recover_abandoned() == []


@pytest.mark.django_db(transaction=True)
def test_a_job_reads_its_rows_in_chunks_while_another_connection_writes(file_database):
    """``read_in_chunks``: every row once, in the queryset's order, and the job's own progress
    saved between rows while the heartbeat writes from its own connection — on SQLite an open
    read would make that save fail ("database is locked")."""
    jobs = [Job.objects.create(label=f"任务{n}", task_path="x.y") for n in range(7)]
    tracker = Job.objects.create(label="进度", task_path="x.y")

    def beat(number):
        WorkerHeartbeat.objects.update_or_create(
            worker_id=f"test:{number}", defaults={"host": "test", "pid": number}
        )
        connection.close()

    seen = []
    for job in runner.read_in_chunks(Job.objects.exclude(pk=tracker.pk).order_by("-pk"), 3):
        seen.append(job.pk)
        thread = threading.Thread(target=beat, args=(len(seen),))
        thread.start()
        thread.join()
        runner.advance(tracker, len(seen))
    assert seen == [job.pk for job in reversed(jobs)]
    tracker.refresh_from_db()
    assert tracker.done == 7 and WorkerHeartbeat.objects.count() == 7
