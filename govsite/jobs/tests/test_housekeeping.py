"""The queue and the jobs do not grow forever: finished results and old jobs are pruned nightly,
a failed result kept longer than a successful one, a job's result file with the job."""

from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from govsite.jobs import storage, tasks
from govsite.jobs.models import Job

pytestmark = pytest.mark.django_db


def result(status, days_ago):
    return DBTaskResult.objects.create(
        task_path="govsite.workflow.tasks.publish_scheduled",
        args_kwargs={"args": [], "kwargs": {}},
        status=status,
        backend_name="default",
        queue_name="default",
        priority=0,
        run_after=timezone.now(),
        finished_at=None if status == "READY" else timezone.now() - timedelta(days=days_ago),
    )


def test_finished_work_is_pruned_after_its_keeping():
    kept = [result("SUCCESSFUL", 6), result("FAILED", 29), result("READY", 0)]
    result("SUCCESSFUL", 8)
    result("FAILED", 31)
    old = Job.objects.create(
        label="导出",
        task_path="x.y",
        status=Job.Status.DONE,
        finished_at=timezone.now() - timedelta(days=181),
    )
    storage.save_result(old, "旧.csv", b"a,b\n")
    recent = Job.objects.create(
        label="导出", task_path="x.y", status=Job.Status.DONE, finished_at=timezone.now()
    )
    running = Job.objects.create(label="复查", task_path="x.y", status=Job.Status.RUNNING)
    file_name = old.result_file

    assert tasks.prune_finished_work.enqueue().return_value == [2, 1]
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {r.pk for r in kept}
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not storages["private"].exists(file_name)
