"""Background jobs (R-OPS: heavy work never runs inside a web request) and the workers that run
them.

A ``Job`` is the office's record of one long piece of work — 已发布信息复查, a search rebuild,
静态发布 of the whole site, a large export, a backup — started by someone or by the scheduler:
what it is, who asked, how far it got, what came of it, and the error if it failed. The task
itself runs on Django's task framework (database backend by default, RQ with ``REDIS_URL``);
the job survives the task, so 系统管理员 sees every failure and can run it again.

A ``WorkerHeartbeat`` is written by each running worker (``manage.py run_worker``) every few
seconds. No recent heartbeat means nothing runs the queue: the dashboard says so. A task left
running by a worker that stopped beating (killed, machine lost) is put back in the queue.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

# A worker beats every BEAT; one silent for longer than SILENCE is gone.
BEAT = timedelta(seconds=5)
SILENCE = timedelta(seconds=30)
# Failures this recent are shown to 系统管理员 (the dashboard, 后台任务).
RECENT = timedelta(days=7)


class JobQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])

    def failed(self):
        return self.filter(status=Job.Status.FAILED)

    def finished(self):
        return self.filter(status__in=[Job.Status.DONE, Job.Status.FAILED])

    def of(self, job_task):
        """The jobs that run ``job_task``."""
        return self.filter(task_path=job_task.module_path)

    def started_by(self, user):
        return self.filter(requested_by_id=user.pk)


class Job(models.Model):
    """One heavy piece of work run in the background, with its progress and outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", "等待运行"
        RUNNING = "running", "正在运行"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    label = models.CharField("任务", max_length=200)
    task_path = models.CharField("任务函数", max_length=200, editable=False)
    arguments = models.JSONField("参数", default=dict, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.QUEUED)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.TextField("结果", blank=True)
    error = models.TextField("错误", blank=True)
    attempts = models.PositiveSmallIntegerField("运行次数", default=0)
    result_file = models.CharField("结果文件", max_length=300, blank=True)
    result_name = models.CharField("文件名", max_length=200, blank=True)
    # A result only its requester may open, while they hold this permission (``rules``).
    result_permission = models.CharField(
        "下载所需权限",
        max_length=100,
        blank=True,
        editable=False,
        help_text="设置后，结果文件只有发起人在仍具有该权限时可以下载（如审计日志导出）。",
    )
    url = models.CharField("相关页面", max_length=300, blank=True)
    runner = models.CharField("工作进程", max_length=64, blank=True, editable=False)
    # Where a resumable job had got to: a job the worker was killed in continues from here.
    checkpoint = models.JSONField("进度记录", default=dict, blank=True, editable=False)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.label

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def error_summary(self):
        """The error's last line (the exception and its message), for those who read no trace."""
        lines = [line for line in self.error.splitlines() if line.strip()]
        return lines[-1] if lines else ""

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


# What 系统管理员 reads for each task that is not a ``Job`` (periodic work, e-mail copies) when
# it has failed on the database queue.
TASK_LABELS = {
    "govsite.workflow.tasks.publish_scheduled": "定时发布",
    "govsite.mailbox.tasks.supervise_letters": "来信督办",
    "govsite.screening.tasks.rescreen_when_due": "词库变更后复查（检查）",
    "govsite.search.tasks.reindex_when_due": "搜索词典变更后重建索引（检查）",
    "govsite.audit.tasks.purge_audit_log": "审计日志保留期清理",
    "govsite.notices.tasks.send_notice_mail": "通知邮件",
    "govsite.jobs.tasks.prune_finished_work": "后台任务清理",
    "govsite.reporting.tasks.remind_short_sections": "信息报送提醒",
    "govsite.assessment.tasks.remind_freshness": "栏目更新提醒",
    "wagtail.tasks.update_reference_index_task": "更新页面引用索引",
    "modelsearch.tasks.insert_or_update_object_task": "更新搜索索引",
    "modelsearch.tasks.delete_object_task": "删除搜索索引条目",
}


class WorkerHeartbeatQuerySet(models.QuerySet):
    def alive(self, now=None):
        return self.filter(seen_at__gte=(now or timezone.now()) - SILENCE)


class WorkerHeartbeat(models.Model):
    """A running worker says it is alive (``run_worker``)."""

    worker_id = models.CharField("工作进程", max_length=64, unique=True)
    host = models.CharField("主机", max_length=200, blank=True)
    pid = models.PositiveIntegerField("进程号", default=0)
    started_at = models.DateTimeField("启动时间", default=timezone.now)
    seen_at = models.DateTimeField("最近心跳", default=timezone.now, db_index=True)

    objects = WorkerHeartbeatQuerySet.as_manager()

    class Meta:
        verbose_name = "后台工作进程"
        verbose_name_plural = "后台工作进程"

    def __str__(self):
        return f"{self.host}:{self.pid}"
