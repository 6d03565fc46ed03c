"""Admin views of the review chain: the 审核记录 (R-FLOW-4).

The record views answer GET only: the record cannot be changed through the application.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import (
    content_disposition_header,
    urlencode,
)
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.utils import get_breadcrumbs_items_for_page
from wagtail.models import Page

from govsite.exports.forms import PeriodForm
from govsite.exports.tables import CONTENT_TYPES

from . import exports, rules

EXPORT_TYPES = {
    "csv": (CONTENT_TYPES["csv"], exports.write_csv),
    "xlsx": (CONTENT_TYPES["xlsx"], exports.write_xlsx),
}


def _home():
    return {"url": reverse("wagtailadmin_home"), "label": "首页"}


def _download(export_type, filename, rows):
    """The file of ``rows()`` as CSV or XLSX; any other type is a 404 before any work."""
    if export_type not in EXPORT_TYPES:
        raise Http404
    content_type, write = EXPORT_TYPES[export_type]
    response = HttpResponse(write(rows()), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{filename}.{export_type}"
    )
    return response


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
                for export_type in EXPORT_TYPES
            },
        )
        return context


class PageRecordExportView(PageRecordMixin, View):
    def get(self, request, page_id, export_type):
        stamp = timezone.localdate().strftime("%Y%m%d")
        filename = f"审核记录-{self.page.pk}-{stamp}"
        return _download(export_type, filename, lambda: exports.page_record(self.page).rows)


# 审核记录 of the whole office, for a period ------------------------------------------------------


class OfficeRecordMixin:
    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        if not rules.may_read_office_record(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OfficeRecordView(OfficeRecordMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflow/office_record.html"
    page_title = "审核记录（全办）"
    header_icon = "clipboard-list"
    paginate_by = 200
    export_url_name = "govsite_workflow:office_record_export"

    def get_breadcrumbs_items(self):
        return [_home(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PeriodForm.for_request(self.request)
        context["form"] = form
        if form.is_valid():
            rows = exports.office_record(*form.period())
            query = urlencode(
                {name: f"{form.cleaned_data[name]:%Y-%m-%d}" for name in ("start", "end")}
            )
            context.update(
                rows_page=Paginator(rows, self.paginate_by).get_page(self.request.GET.get("p")),
                row_count=len(rows),
                query=query,
                export_urls={
                    export_type: reverse(self.export_url_name, args=[export_type]) + "?" + query
                    for export_type in EXPORT_TYPES
                },
            )
        return context


class OfficeRecordExportView(OfficeRecordMixin, View):
    def get(self, request, export_type):
        form = PeriodForm(request.GET)
        if not form.is_valid():
            return redirect("govsite_workflow:office_record")
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        filename = f"审核记录-{start:%Y%m%d}-{end:%Y%m%d}"
        return _download(export_type, filename, lambda: exports.office_record(*form.period()))
