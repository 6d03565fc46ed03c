"""后台任务 in the admin: every job with its progress and outcome (系统管理员 sees all, everyone
else the jobs they started), a job's own page, which refreshes itself until the job ends, its
result file, and 重新运行 for a failed one. ``refuse`` is the 403 page of every admin page that
starts or shows background work."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_tasks_db.models import DBTaskResult
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from govsite.exports.tables import FORMAT_NAMES

from . import rules, runner, storage
from .models import RECENT, TASK_LABELS, Job, WorkerHeartbeat


def failed_tasks(limit):
    """The database queue's failed tasks of the last ``RECENT`` (periodic work, e-mail copies:
    what is not a job), the ``limit`` latest, each with its label and the last line of its
    error."""
    recent = DBTaskResult.objects.failed().filter(finished_at__gte=timezone.now() - RECENT)
    return [
        {
            "label": TASK_LABELS.get(result.task_path, result.task_path),
            "finished_at": result.finished_at,
            "error": (result.traceback.strip().splitlines() or [""])[-1],
        }
        for result in recent.order_by("-finished_at")[:limit]
    ]


NOT_YOURS = "这个后台任务不是您发起的；系统管理员可以查看全部后台任务。"


def _home():
    return {"url": reverse("wagtailadmin_home"), "label": "首页"}


class RefusedView(WagtailAdminTemplateMixin, TemplateView):
    """HTTP 403 with the reason in Chinese, in the admin's frame — not Wagtail's redirect to the
    dashboard, which would leave a refused POST looking like a success."""

    template_name = "jobs/refused.html"
    page_title = "无权操作"
    header_icon = "cogs"
    reason = ""

    def dispatch(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(), status=403)  # any method

    def get_breadcrumbs_items(self):
        return [_home(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "reason": self.reason}


def refuse(request, reason, title=RefusedView.page_title):
    return RefusedView.as_view(page_title=title, reason=reason)(request)


class JobStartView(WagtailAdminTemplateMixin, TemplateView):
    """An admin page that starts one kind of background job — never two at once — and shows the
    one under way. A subclass says who may (``may``), why others may not (``refusal``), how the
    job is found and started (``running_job``, ``start``) and what the user is told."""

    refusal = ""
    started_message = ""
    running_message = ""

    def may(self, user):
        raise NotImplementedError

    def running_job(self):
        raise NotImplementedError

    def start(self, user):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.may(request.user):
            return refuse(request, self.refusal, title=self.page_title)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.running_job() is not None:
            messages.info(request, self.running_message)
        else:
            self.start(request.user)
            messages.success(request, self.started_message)
        return redirect(request.path)

    def get_breadcrumbs_items(self):
        return [_home(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "job": self.running_job()}


class ExportView(WagtailAdminTemplateMixin, TemplateView):
    """An export of any size as staff start it: GET says what the file will hold, with
    开始导出; POST starts the background job that writes it and lands on the job's page, where
    the file is downloaded — no request waits for a file. A subclass says where the user came
    from (``back_url``, ``back_label``), how the job starts (``start_job``) and, when its
    conditions cannot be exported, where the user is sent back with a message (``refusal``);
    its template extends ``jobs/export.html`` with what the file will hold."""

    http_method_names = ["get", "head", "post"]
    header_icon = "download"
    back_label = "返回"
    started_message = "已开始导出（后台任务），完成后在本页下载文件。"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs.get("export_type") not in FORMAT_NAMES:
            raise Http404
        self.export_type = kwargs["export_type"]

    def back_url(self):
        raise NotImplementedError

    def start_job(self):
        raise NotImplementedError

    def refusal(self):
        return None

    def get(self, request, *args, **kwargs):
        return self.refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        refused = self.refusal()
        if refused:
            return refused
        job = self.start_job()
        messages.success(request, self.get_started_message())
        return redirect("govsite_jobs:detail", pk=job.pk)

    def get_started_message(self):
        return self.started_message

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "format_name": FORMAT_NAMES[self.export_type],
            "back_url": self.back_url(),
            "back_label": self.back_label,
        }


class JobListView(WagtailAdminTemplateMixin, TemplateView):
    http_method_names = ["get", "head"]
    template_name = "jobs/index.html"
    page_title = "后台任务"
    header_icon = "cogs"
    paginate_by = 30

    def get_breadcrumbs_items(self):
        return [_home(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        user = self.request.user
        oversees = rules.oversees_jobs(user)
        jobs = Job.objects.select_related("requested_by")
        if not oversees:
            jobs = jobs.started_by(user)
        return {
            **super().get_context_data(**kwargs),
            "jobs": Paginator(jobs, self.paginate_by).get_page(self.request.GET.get("p")),
            "oversees": oversees,
            "workers": WorkerHeartbeat.objects.alive() if oversees else None,
            "failed_tasks": failed_tasks(20) if oversees else None,
        }


class JobDetailView(WagtailAdminTemplateMixin, TemplateView):
    http_method_names = ["get", "head"]
    template_name = "jobs/detail.html"
    header_icon = "cogs"

    def dispatch(self, request, *args, **kwargs):
        self.job = get_object_or_404(Job.objects.select_related("requested_by"), pk=kwargs["pk"])
        if not rules.may_see(request.user, self.job):
            return refuse(request, NOT_YOURS)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.job.label

    def get_breadcrumbs_items(self):
        return [
            _home(),
            {"url": reverse("govsite_jobs:index"), "label": "后台任务"},
            {"url": "", "label": self.job.label},
        ]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "job": self.job,
            "may_retry": rules.may_retry(self.request.user, self.job),
            "oversees": rules.oversees_jobs(self.request.user),
        }


@require_POST
def retry(request, pk):
    job = get_object_or_404(Job, pk=pk)
    if not rules.may_see(request.user, job):
        return refuse(request, NOT_YOURS)
    if not rules.may_retry(request.user, job):
        return refuse(
            request, f"「{job.label}」{job.get_status_display()}，只有失败的任务可以重新运行。"
        )
    runner.retry(job)
    messages.success(request, f"已重新排队：{job.label}。完成后本页显示结果。")
    return redirect("govsite_jobs:detail", pk=job.pk)


def download(request, pk):
    job = get_object_or_404(Job, pk=pk)
    if not rules.may_download(request.user, job):
        return refuse(request, "结果文件只有具有相应权限的发起人可以下载。", title=job.label)
    if job.status != Job.Status.DONE or not job.result_file:
        raise Http404("没有结果文件。")
    response = FileResponse(storage.open_result(job), as_attachment=True)
    response["Content-Disposition"] = content_disposition_header(True, job.result_name)
    return response
