"""后台任务 in the admin: every job with its progress and outcome (系统管理员 sees all, everyone
else the jobs they started), a job's own page, which refreshes itself until the job ends, its
result file, and 重新运行 for a failed one. ``refuse`` is the 403 page of every admin page that
starts or shows background work."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import rules, runner, storage
from .models import Job, WorkerHeartbeat


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
        }


class JobDetailView(WagtailAdminTemplateMixin, TemplateView):
    http_method_names = ["get", "head"]
    template_name = "jobs/detail.html"
    header_icon = "cogs"

    def dispatch(self, request, *args, **kwargs):
        self.job = get_object_or_404(Job.objects.select_related("requested_by"), pk=kwargs["pk"])
        if not rules.may_see(request.user, self.job):
            raise PermissionDenied
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
    if not rules.may_retry(request.user, job):
        raise PermissionDenied
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
