"""The real thing: a worker process (``manage.py run_worker``) runs what the site enqueues, on
the configured queue — the database on SQLite, RQ on Redis in the PostgreSQL pass — and a worker
killed in the middle of 已发布信息复查 loses nothing: restarted, it completes the run."""

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import timezone

from govsite.columns.models import ArticlePage
from govsite.demo.generator import generate_articles
from govsite.jobs.models import Job, WorkerHeartbeat
from govsite.screening.models import ProhibitedCategory, ProhibitedTerm, RescreenRun
from govsite.screening.tasks import start_rescreen

ROOT = Path(settings.BASE_DIR)
PAGES = 2000


@pytest.fixture
def real_queue(monkeypatch, settings):
    """Tasks enqueued by the test go to the configured queue, as the site's would."""
    import django.tasks

    backend = settings.TASK_BACKENDS[settings.GOVSITE_TASK_BACKEND]
    monkeypatch.setattr(
        django.tasks, "task_backends", django.tasks.TaskBackendHandler({"default": backend})
    )
    return settings.GOVSITE_TASK_BACKEND


def database_url():
    """Where a process of its own finds the test's database."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user, host, port = database["USER"], database["HOST"], database["PORT"]
    return f"postgres://{user}@{host}:{port}/{database['NAME']}"


def start_worker():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govsite.settings.test",
        "DATABASE_URL": database_url(),
        "GOVSITE_TEST_QUEUE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    # Its output to a file, not a pipe nobody reads while waiting: a full pipe would stop it.
    log = tempfile.TemporaryFile()  # noqa: SIM115 (kept open with the worker, gone with the test)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # the worker and whatever it forks (RQ's work horse) together
    )
    worker.log = log
    return worker


def said(worker):
    worker.log.seek(0)
    return worker.log.read().decode(errors="replace")[-20_000:]


def wait_for(condition, seconds, worker):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.poll() is not None:
            pytest.fail(f"the worker stopped:\n{said(worker)}")
        time.sleep(0.1)
    stop(worker, signal.SIGKILL)
    pytest.fail(f"not within {seconds} s; the worker said:\n{said(worker)}")


def descendants(pid):
    """Every process ``pid`` started, however it detached (RQ's work horse leaves the worker's
    session): as a machine that dies takes them all."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def stop(worker, sig=signal.SIGTERM):
    """SIGTERM to the worker, as ``make run`` and systemd stop it (it stops what it started);
    SIGKILL to it and everything it started, as a crash would."""
    if worker.poll() is None:
        if sig == signal.SIGKILL:
            for pid in descendants(worker.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
        worker.send_signal(sig)
    return worker.wait(timeout=30)


@pytest.fixture
def published(file_database, site_tree):
    """2,000 published articles, every seventh of which carries a prohibited term."""
    pages = generate_articles(PAGES, index=False)
    flagged = pages[::7]
    ArticlePage.objects.filter(pk__in=flagged).update(title=Concat(Value("代开发票："), "title"))
    ProhibitedTerm.objects.create(
        text="代开发票", category=ProhibitedCategory.objects.get(number=9)
    )
    return set(flagged)


def test_a_killed_worker_loses_nothing_of_a_rescreening(published, real_queue):
    """The issue's own test: kill the worker during a 已发布信息复查 of 2,000 pages, restart it,
    the run completes — each page screened once."""
    job = start_rescreen()  # committed at once: the worker sees it
    worker = start_worker()
    try:

        def well_under_way():
            job.refresh_from_db()
            return 2 * 100 <= job.done < job.total

        wait_for(well_under_way, 240, worker)
        stop(worker, signal.SIGKILL)  # no goodbye: the heartbeat stops, the task stays running
    finally:
        stop(worker, signal.SIGKILL)
    job.refresh_from_db()
    interrupted_at = job.done
    assert job.status == Job.Status.RUNNING and 0 < interrupted_at < job.total == PAGES
    # The dead worker's last heartbeat ages; rather than wait, it is made old.
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=10))

    worker = start_worker()
    try:

        def done():
            job.refresh_from_db()
            if job.status == Job.Status.FAILED:
                pytest.fail(f"the resumed run failed: {job.error}")
            return job.status == Job.Status.DONE

        wait_for(done, 240, worker)
    finally:
        assert stop(worker) == 0  # SIGTERM: the worker stops cleanly, its heartbeat goes
    assert not WorkerHeartbeat.objects.exists()

    (run,) = RescreenRun.objects.all()  # one run, continued, not a second one from scratch
    assert run.finished_at is not None and run.pages_checked == PAGES
    assert job.attempts == 2 and job.done == job.total == PAGES
    flagged = [item["page"] for item in run.flagged]
    assert len(flagged) == len(set(flagged))  # no page screened twice
    assert set(flagged) == published  # and none left out
    assert job.message == f"检查已发布信息 {PAGES} 条，{len(published)} 条未通过。"
