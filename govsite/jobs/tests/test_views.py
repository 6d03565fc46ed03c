"""后台任务 in the admin: who sees which job, running one again, its result file, and the
dashboard's warning to 系统管理员 when no worker runs the queue."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from govsite.jobs import storage
from govsite.jobs.models import Job, WorkerHeartbeat
from govsite.sections import roles

pytestmark = pytest.mark.django_db


def assert_refused(response, reason="这个后台任务不是您发起的"):
    """A refusal is a 403 page in the admin's frame that says why."""
    assert response.status_code == 403 and reason in response.content.decode()


@pytest.fixture
def people(make_user):
    return {
        "sysadmin": make_user("sysadmin", roles.SYSTEM_ADMINS),
        "manager": make_user("site_manager", roles.SITE_MANAGERS),
        "auditor": make_user("auditor", roles.AUDIT_ADMINS),
        "officer": make_user("mishu_officer", "秘书科-信息员"),
    }


@pytest.fixture
def jobs(people):
    failed = Job.objects.create(
        label="已发布信息复查",
        task_path="govsite.screening.tasks.rescreen_job",
        requested_by=people["manager"],
        status=Job.Status.FAILED,
        finished_at=timezone.now(),
        error="Traceback …\nRuntimeError: 数据库暂时不可用",
    )
    done = Job.objects.create(
        label="导出审计日志",
        task_path="govsite.jobs.tests.test_runner.count_to",
        requested_by=people["auditor"],
        status=Job.Status.DONE,
        message="共 3 条。",
    )
    storage.save_result(done, "审计日志.csv", "时间,动作\n".encode())
    return {"failed": failed, "done": done}


def test_the_system_administrator_sees_every_job_and_the_workers(client, people, jobs):
    client.force_login(people["sysadmin"])
    html = client.get(reverse("govsite_jobs:index")).content.decode()
    assert "已发布信息复查" in html and "导出审计日志" in html
    assert "后台任务未运行" in html  # no worker beats
    WorkerHeartbeat.objects.create(worker_id="app1:4242", host="app1", pid=4242)
    html = client.get(reverse("govsite_jobs:index")).content.decode()
    assert "后台任务未运行" not in html and "app1（进程 4242" in html


def test_everyone_else_sees_only_the_jobs_they_started(client, people, jobs):
    client.force_login(people["manager"])
    html = client.get(reverse("govsite_jobs:index")).content.decode()
    assert "已发布信息复查" in html and "导出审计日志" not in html
    assert "后台任务未运行" not in html  # the workers are the system administrator's
    detail = reverse("govsite_jobs:detail", args=[jobs["done"].pk])
    assert_refused(client.get(detail))
    download = reverse("govsite_jobs:download", args=[jobs["done"].pk])
    assert_refused(client.get(download), "结果文件只有具有相应权限的发起人可以下载")


def test_a_failed_job_shows_its_error_and_runs_again(
    client, people, jobs, monkeypatch, django_capture_on_commit_callbacks
):
    enqueued = []
    monkeypatch.setattr("govsite.jobs.runner.enqueue", enqueued.append)
    url = reverse("govsite_jobs:detail", args=[jobs["failed"].pk])
    client.force_login(people["manager"])
    html = client.get(url).content.decode()
    assert "任务失败" in html and "请联系系统管理员" in html and "重新运行" in html
    assert "Traceback" not in html  # the trace is for the system administrator
    assert "RuntimeError: 数据库暂时不可用" in html

    client.force_login(people["officer"])
    retry = reverse("govsite_jobs:retry", args=[jobs["failed"].pk])
    assert_refused(client.post(retry))
    assert not enqueued

    client.force_login(people["sysadmin"])
    assert "RuntimeError: 数据库暂时不可用" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry, follow=True)
    html = response.content.decode()
    assert "已重新排队：已发布信息复查" in html and "等待运行" in html
    assert 'http-equiv="refresh"' in html  # the page follows the job until it ends
    assert [job.pk for job in enqueued] == [jobs["failed"].pk]
    jobs["failed"].refresh_from_db()
    assert jobs["failed"].status == Job.Status.QUEUED and jobs["failed"].error == ""


def test_a_done_job_cannot_be_run_again(client, people, jobs):
    client.force_login(people["sysadmin"])
    retry = reverse("govsite_jobs:retry", args=[jobs["done"].pk])
    assert_refused(client.post(retry), "「导出审计日志」已完成，只有失败的任务可以重新运行。")


def test_the_result_file_is_downloaded_by_who_started_it(client, people, jobs):
    client.force_login(people["auditor"])
    response = client.get(reverse("govsite_jobs:download", args=[jobs["done"].pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "时间,动作\n"
    assert "attachment" in response["Content-Disposition"]
    assert "%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.csv" in response["Content-Disposition"]
    html = client.get(reverse("govsite_jobs:detail", args=[jobs["done"].pk])).content.decode()
    assert "下载 审计日志.csv" in html and 'http-equiv="refresh"' not in html


def test_the_dashboard_warns_the_system_administrator_when_no_worker_runs(client, people, jobs):
    client.force_login(people["sysadmin"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "后台任务未运行" in html
    assert "最近 7 天有 1 个后台任务失败" in html

    WorkerHeartbeat.objects.create(worker_id="app1:1", seen_at=timezone.now())
    Job.objects.filter(pk=jobs["failed"].pk).update(created_at=timezone.now() - timedelta(days=8))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "后台任务未运行" not in html and "后台任务失败" not in html

    # A worker silent for longer than it beats is not running.
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=5))
    assert "后台任务未运行" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_warning_is_for_the_system_administrator_only(client, people, jobs):
    for name in ("manager", "officer", "auditor"):
        client.force_login(people[name])
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "后台任务未运行" not in html, name


def failed_periodic_task(minutes_ago=5):
    return DBTaskResult.objects.create(
        task_path="govsite.workflow.tasks.publish_scheduled",
        args_kwargs={"args": [], "kwargs": {}},
        status="FAILED",
        backend_name="default",
        queue_name="default",
        priority=0,
        run_after=timezone.now(),
        finished_at=timezone.now() - timedelta(minutes=minutes_ago),
        exception_class_path="builtins.RuntimeError",
        traceback="Traceback (most recent call last):\n  …\nRuntimeError: 数据库暂时不可用\n",
    )


def test_a_failed_periodic_task_is_shown_in_words_the_administrator_reads(client, people):
    failed_periodic_task()
    client.force_login(people["sysadmin"])
    html = client.get(reverse("govsite_jobs:index")).content.decode()
    assert "最近 7 天失败的定时任务和通知邮件" in html
    assert "定时发布" in html and "RuntimeError: 数据库暂时不可用" in html
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "最近 7 天有定时任务或通知邮件失败" in dashboard and "定时发布" in dashboard

    client.force_login(people["manager"])
    assert "数据库暂时不可用" not in client.get(reverse("govsite_jobs:index")).content.decode()


def test_the_lists_cost_the_same_queries_however_many_jobs(client, people):
    def add(count):
        for number in range(count):
            Job.objects.create(
                label=f"任务 {number}", task_path="x.y", requested_by=people["manager"]
            )
            failed_periodic_task(minutes_ago=number)

    add(2)
    client.force_login(people["sysadmin"])
    url = reverse("govsite_jobs:index")
    client.get(url)  # warm the session and the caches

    def queries_for_page():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    few = queries_for_page()
    add(40)
    assert queries_for_page() == few
