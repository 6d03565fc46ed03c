"""Admin views of the review chain: the 审核记录 (R-FLOW-4), and the confirmation after a review
decision taken from a listing (第十四条).

The record views answer GET only: the record cannot be changed through the application. An
export answers GET with what the file would hold and POST by starting it as a background job
(``tasks.export_record_job``); the user lands on the job's page, where the file is downloaded
when ready. Each screen costs the same queries however many rows it shows (SPEC §12).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.pages import workflow as page_workflow_views
from wagtail.admin.views.pages.utils import get_breadcrumbs_items_for_page
from wagtail.models import Page, TaskState

from govsite.exports.forms import PeriodForm
from govsite.exports.tables import FORMAT_NAMES
from govsite.jobs import runner
from govsite.jobs.views import ExportView

from . import exports, rules, tasks, wording

# Held by every member of staff: with it, a job's result file is its requester's alone.
RECORD_FILE_PERMISSION = "wagtailadmin.access_admin"


def _home():
    return {"url": reverse("wagtailadmin_home"), "label": "首页"}


class RecordExportView(ExportView):
    """An export of the 审核记录 (``tasks.export_record_job``): a subclass names the file and
    the job's arguments (``job_arguments``)."""

    template_name = "workflow/export.html"
    back_label = "返回审核记录"
    started_message = "已开始导出审核记录（后台任务），完成后在本页下载文件。"

    def get_breadcrumbs_items(self):
        return [*self.back_breadcrumbs(), {"url": "", "label": self.get_page_title()}]

    def job_arguments(self):
        raise NotImplementedError

    def start_job(self):
        filename, arguments = self.job_arguments()
        return runner.start(
            tasks.export_record_job,
            self.get_page_title(),
            user=self.request.user,
            url=self.back_url(),
            # The record is for those who may read it (``rules``), not for whoever oversees the
            # jobs (系统管理员): the file is its requester's alone, while they may sign in.
            result_permission=RECORD_FILE_PERMISSION,
            export_type=self.export_type,
            filename=f"{filename}.{self.export_type}",
            **arguments,
        )


# 审核记录 of one page ----------------------------------------------------------------------------


class PageRecordMixin:
    http_method_names = ["get", "head"]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific

    def dispatch(self, request, *args, **kwargs):
        if not rules.may_read_page_record(request.user, self.page):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PageRecordView(PageRecordMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflow/page_record.html"
    page_title = "审核记录"
    header_icon = "clipboard-list"

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        trail = get_breadcrumbs_items_for_page(self.page, self.request.user) or [_home()]
        return [*trail, {"url": "", "label": self.page_title, "sublabel": self.get_page_subtitle()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        permissions = self.page.permissions_for_user(self.request.user)
        context.update(
            page=self.page,
            record=exports.page_record(self.page),
            can_view_history=permissions.can_view_revisions(),
            export_urls={
                export_type: reverse(
                    "govsite_workflow:page_record_export", args=[self.page.pk, export_type]
                )
                for export_type in FORMAT_NAMES
            },
        )
        return context


class PageRecordExportView(PageRecordMixin, RecordExportView):
    http_method_names = RecordExportView.http_method_names

    def get_page_title(self):
        return tasks.export_label(self.export_type, self.page)

    def back_url(self):
        return reverse("govsite_workflow:page_record", args=[self.page.pk])

    def back_breadcrumbs(self):
        return [_home(), {"url": self.back_url(), "label": "审核记录"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["what"] = f"《{self.page.get_admin_display_title()}》的全部审核记录"
        return context

    def job_arguments(self):
        stamp = timezone.localdate().strftime("%Y%m%d")
        return f"审核记录-{self.page.pk}-{stamp}", {"page_id": self.page.pk}


# 审核记录 of the whole office, for a period ------------------------------------------------------


class OfficeRecordMixin:
    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        if not rules.may_read_office_record(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _period_query(form):
    return urlencode({name: f"{form.cleaned_data[name]:%Y-%m-%d}" for name in ("start", "end")})


class OfficeRecordView(OfficeRecordMixin, WagtailAdminTemplateMixin, TemplateView):
    """The pages touched in the period, ``pages_per_screen`` at a time (tree order), each with
    its rows of the period: the same queries for a quiet week and for three busy years."""

    template_name = "workflow/office_record.html"
    page_title = "审核记录（全办）"
    header_icon = "clipboard-list"
    pages_per_screen = 20
    export_url_name = "govsite_workflow:office_record_export"

    def get_breadcrumbs_items(self):
        return [_home(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PeriodForm.for_request(self.request)
        context["form"] = form
        if form.is_valid():
            start, end = form.period()
            # A page number past the last (or not a number) shows the last (or the first).
            screen = Paginator(exports.touched_pages(start, end), self.pages_per_screen).get_page(
                self.request.GET.get("p")
            )
            query = _period_query(form)
            context.update(
                screen=screen,
                rows=exports.rows_of(list(screen.object_list), start, end),
                page_count=screen.paginator.count,
                query=query,
                export_urls={
                    export_type: reverse(self.export_url_name, args=[export_type]) + "?" + query
                    for export_type in FORMAT_NAMES
                },
            )
        return context


class OfficeRecordExportView(OfficeRecordMixin, RecordExportView):
    http_method_names = RecordExportView.http_method_names

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.form = PeriodForm(request.GET)

    def get_page_title(self):
        return tasks.export_label(self.export_type)

    def back_url(self):
        url = reverse("govsite_workflow:office_record")
        return url + ("?" + _period_query(self.form) if self.form.is_valid() else "")

    def back_breadcrumbs(self):
        return [_home(), {"url": self.back_url(), "label": OfficeRecordView.page_title}]

    def refusal(self):
        if self.form.is_valid():
            return None
        errors = [error for errors in self.form.errors.values() for error in errors]
        messages.error(self.request, "时段有误，未导出：" + "；".join(errors))
        return redirect("govsite_workflow:office_record")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start, end = self.form.cleaned_data["start"], self.form.cleaned_data["end"]
        context["what"] = f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d} 全办的审核记录"
        context["page_count"] = exports.touched_pages(*self.form.period()).count()
        return context

    def job_arguments(self):
        start, end = self.form.period()
        first, last = self.form.cleaned_data["start"], self.form.cleaned_data["end"]
        filename = f"审核记录-{first:%Y%m%d}-{last:%Y%m%d}"
        return filename, {"start": start.isoformat(), "end": end.isoformat()}


class WorkflowActionView(page_workflow_views.WorkflowActionView):
    """Wagtail's review decision from a listing (待我审核's 审核通过 / 通过并附意见 / 退回修改),
    which says nothing once done: here it confirms what happened and what comes next, as the
    editor does (``wording.after_decision``). Routed in govsite/urls.py before Wagtail's own."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        self.task_state.refresh_from_db(fields=["status"])
        if self.task_state.status != TaskState.STATUS_IN_PROGRESS:
            messages.success(request, wording.after_decision(self.object, self.action_name))
        return response
