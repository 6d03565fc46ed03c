"""整理上报 (第十一条; R-MAIL-3): the letters of a period and their statistics, on the page,
on paper and as a file. A file is a background job (``tasks.export_summary_job``): GET says what
it will hold, POST starts it and lands on the job's page, where the file is downloaded when
ready; each letter in the file gets a 整理上报 entry in its record when the file is made."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from govsite.exports.tables import FORMAT_NAMES
from govsite.jobs import runner
from govsite.jobs.views import ExportView

from .. import exports, reports, rules, tasks
from .base import TriageMixin, home, mailbox
from .forms import SummaryForm

# The permission held by whoever handles letters now (``rules.HANDLES_LETTERS``, answered by
# ``backends``): with it, an export's file is its requester's alone, while they still handle
# letters (an officer of the section owning 沟通信箱).
SUMMARY_FILE_PERMISSION = rules.HANDLES_LETTERS


class SummaryMixin(TriageMixin):
    http_method_names = ["get", "head"]

    @cached_property
    def form(self):
        return SummaryForm.for_request(self.request)

    def summary(self, letters=None):
        """The period's statistics and the rows of ``letters`` (all the letters selected, when
        not given); its queries do not grow with the letters."""
        start, end = self.form.cleaned_data["start"], self.form.cleaned_data["end"]
        letters = list(self.form.letters() if letters is None else letters)
        rows = exports.summary_rows(letters)
        return {
            "rows": rows,
            "letter_rows": list(zip(letters, rows, strict=True)),
            "statistics": exports.statistics_lines(reports.statistics(start, end)),
            "conditions": self.form.conditions(),
            "query": self.form.query(),
        }


class SummaryView(SummaryMixin, WagtailAdminTemplateMixin, TemplateView):
    """The statistics and the letters, ``paginate_by`` a screen (the print view and the files
    hold them all)."""

    template_name = "mailbox/admin/summary.html"
    page_title = "整理上报"
    header_icon = "doc-full"
    paginate_by = 50

    def get_breadcrumbs_items(self):
        return [home(), mailbox(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        if self.form.is_valid():
            # A page number past the last shows the last; one that is not a number, the first.
            screen = Paginator(self.form.letters(), self.paginate_by).get_page(
                self.request.GET.get("p")
            )
            context.update(self.summary(screen.object_list), screen=screen)
            context["export_urls"] = {
                export_type: reverse("mailbox_report_export", args=[export_type])
                + "?"
                + context["query"]
                for export_type in FORMAT_NAMES
            }
        return context


class SummaryPrintView(SummaryMixin, TemplateView):
    template_name = "mailbox/admin/summary_print.html"

    def get(self, request, *args, **kwargs):
        if not self.form.is_valid():
            return redirect("mailbox_report")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **self.summary(),
            "form": self.form,
            "printed_at": timezone.now(),
            "printed_by": self.request.user,
        }


class SummaryExportView(SummaryMixin, ExportView):
    """GET: what the file will hold (the period, the conditions, how many letters) and
    开始导出; POST: the job (``tasks.export_summary_job``), then its page.

    Who may download the file: its requester alone, while they hold ``SUMMARY_FILE_PERMISSION``
    (综合科's officers'), as the 审核记录 export keeps its file to its requester. The summary
    lists the public's letters, which only 综合科 reads whole (``rules.may_triage``); 系统管理员
    oversees every job but does not read letters (三员分立): they see the job, not its file. A
    member moved out of 综合科 — or whose section no longer owns 沟通信箱 — no longer downloads
    a summary they exported before."""

    http_method_names = ExportView.http_method_names
    template_name = "mailbox/admin/export.html"
    back_label = "返回整理上报"
    started_message = "已开始导出来信汇总（后台任务），完成后在本页下载文件。"

    def get_page_title(self):
        return tasks.export_label(self.export_type, *self.dates())

    def dates(self):
        return self.form.cleaned_data["start"], self.form.cleaned_data["end"]

    def back_url(self):
        return reverse("mailbox_report") + "?" + self.form.query()

    def get_breadcrumbs_items(self):
        return [
            home(),
            mailbox(),
            {"url": self.back_url(), "label": SummaryView.page_title},
            {"url": "", "label": self.get_page_title()},
        ]

    def refusal(self):
        if self.form.is_valid():
            return None
        errors = [error for errors in self.form.errors.values() for error in errors]
        messages.error(self.request, "导出条件有误，未导出：" + "；".join(errors))
        return redirect("mailbox_report")

    def get_context_data(self, **kwargs):
        start, end = self.dates()
        return {
            **super().get_context_data(**kwargs),
            "start": start,
            "end": end,
            "conditions": self.form.conditions(),
            "letter_count": self.form.letters().count(),
        }

    def start_job(self):
        return runner.start(
            tasks.export_summary_job,
            self.get_page_title(),
            user=self.request.user,
            url=self.back_url(),
            result_permission=SUMMARY_FILE_PERMISSION,
            export_type=self.export_type,
            values=self.form.values(),
        )
