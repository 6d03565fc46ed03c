"""整理上报 (第十一条; R-MAIL-3): the letters of a period and their statistics, on the page,
on paper and as a file; each letter exported gets a 整理上报 entry in its record."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from govsite.exports.tables import CONTENT_TYPES

from .. import cases, exports, reports
from .base import TriageMixin, home, mailbox
from .forms import SummaryForm

EXPORT_TYPES = {
    "csv": (CONTENT_TYPES["csv"], exports.write_csv),
    "xlsx": (CONTENT_TYPES["xlsx"], exports.write_xlsx),
}


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
                for export_type in EXPORT_TYPES
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


class SummaryExportView(SummaryMixin, View):
    """The summary as a file; each letter in it gets a 整理上报 entry in its record."""

    def get(self, request, export_type):
        if export_type not in EXPORT_TYPES:
            raise Http404
        if not self.form.is_valid():
            return redirect("mailbox_report")
        start, end = self.form.cleaned_data["start"], self.form.cleaned_data["end"]
        letters = list(self.form.letters())
        content_type, write = EXPORT_TYPES[export_type]
        body = write(exports.summary_rows(letters), reports.statistics(start, end))
        cases.record_report(
            letters, request.user, f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d} 来信汇总（{export_type}）"
        )
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"来信汇总-{start:%Y%m%d}-{end:%Y%m%d}.{export_type}"
        )
        return response
