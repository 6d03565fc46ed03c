"""The background worker: runs the queued tasks (database backend by default, RQ where
``GOVSITE_TASK_BACKEND=rq``), beating a heartbeat every few seconds so that the dashboard knows
it runs, and putting back what a worker that stopped beating left unfinished
(``runner.recover_abandoned``). Started by ``make run`` and ``make serve`` beside the web server.
"""

import logging
import os
import signal
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from ... import runner
from ...models import BEAT, WorkerHeartbeat

logger = logging.getLogger("govsite.jobs.worker")


class Heartbeat(threading.Thread):
    """Says every ``BEAT`` that this worker is alive, and recovers what dead workers left."""

    def __init__(self, worker_id):
        super().__init__(name="govsite-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def beat(self):
        host, _, pid = self.worker_id.rpartition(":")
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": host,
                "pid": int(pid) if pid.isdigit() else 0,
                "seen_at": timezone.now(),
            },
        )
        runner.recover_abandoned()

    def run(self):
        while not self.stopped.is_set():
            try:
                self.beat()
            except Exception:  # the database may be briefly away; the next beat tries again
                logger.exception("后台工作进程心跳写入失败。")
            finally:
                close_old_connections()
            self.stopped.wait(BEAT.total_seconds())

    def stop(self):
        self.stopped.set()
        self.join(timeout=10)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


def stop_during_start_up(signum, frame):
    raise SystemExit(0)


class Command(BaseCommand):
    help = (
        "后台任务工作进程：运行排队的后台任务（定时发布、已发布信息复查、索引重建、静态发布、"
        "导出、备份、通知邮件等）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="运行完当前排队的任务后退出（数据库后端）。"
        )
        parser.add_argument(
            "--interval", type=float, default=1, help="队列为空时两次检查之间的秒数。"
        )

    def handle(self, *args, batch, interval, verbosity, **options):
        # Until the queue's own worker takes over SIGTERM and SIGINT (a warm shutdown that lets
        # the task in hand finish), a stop request ends start-up cleanly.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, stop_during_start_up)
        worker_id = runner.worker_id()
        os.environ[runner.WORKER_ENV] = worker_id  # the processes it forks report as this worker
        heartbeat = Heartbeat(worker_id)
        heartbeat.beat()
        heartbeat.start()
        self.stdout.write(
            f"后台任务工作进程已启动（{worker_id}，{settings.GOVSITE_TASK_BACKEND}）。"
        )
        try:
            if settings.GOVSITE_TASK_BACKEND == "rq":
                call_command(
                    "rqworker",
                    "default",
                    "--job-class=django_tasks_rq.Job",  # runs the task framework's tasks
                    "--burst" if batch else "--with-scheduler",
                )
            else:
                call_command(
                    "db_worker",
                    queue_name="*",
                    interval=interval,
                    batch=batch,
                    reload=False,
                    worker_id=worker_id,
                    startup_delay=False,
                    verbosity=verbosity - 1,  # each task's start and end only with -v 2
                )
        finally:
            heartbeat.stop()
            self.stdout.write("后台任务工作进程已停止。")
