"""审计日志 in the admin (R-SEC-4): one searchable list for 审计管理员, one entry's detail, and
the export of what the list shows as .xlsx or .csv.

Nothing here can change or remove an entry: the list and the detail answer GET only; the export
answers GET with what it would hold and POST by starting it as a background job, whose file
only the auditor who asked may download. Who may read is ``rules.may_read``; anyone else gets a
403. Each export is itself recorded.
"""

from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from govsite.jobs import runner
from govsite.jobs.views import ExportView

from . import exports, rules, selection, tasks
from .events import record
from .models import AuditEntry

MENU_LABEL = "审计日志"


def _home():
    return {"url": reverse("wagtailadmin_home"), "label": "首页"}


class ForbiddenView(WagtailAdminTemplateMixin, TemplateView):
    """The 403 page of the audit log's views, in the admin's frame."""

    template_name = "audit/forbidden.html"
    page_title = MENU_LABEL
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(), status=403)  # any method

    def get_breadcrumbs_items(self):
        return [_home(), {"url": "", "label": MENU_LABEL}]


def refuse(request):
    """A 403 — not Wagtail's redirect to the dashboard: 三员分立 says no, and says so — and an
    entry, for an attempt to read the log by whoever may not is itself worth auditing."""
    record(
        "audit_access_denied",
        summary=f"{request.method} {request.get_full_path()[:200]}",
        detail={"path": request.get_full_path()[:500]},
    )
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return HttpResponseForbidden("您无权查看审计日志。")
    return ForbiddenView.as_view()(request)


def selecting(query):
    """``query`` without what the list's links carry that selects nothing (the page number,
    Wagtail's fragment and export flags)."""
    query = query.copy()
    for name in ("p", "_w_filter_fragment", "export"):
        query.pop(name, None)
    return query


class ReadMixin:
    """For those who may read the log (``rules.may_read``); GET only, unless a view says
    otherwise."""

    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        if not rules.may_read(request.user):
            return refuse(request)
        return super().dispatch(request, *args, **kwargs)


class AuditEntryIndexView(ReadMixin, IndexView):
    """审计日志: newest first, filtered by date, 操作人, category, action and IP, searched in
    the object, the 说明 and the detail."""

    model = AuditEntry
    permission_policy = None  # who reads is rules.may_read
    any_permission_required = None
    page_title = MENU_LABEL
    header_icon = "list-ul"
    index_url_name = "govsite_audit:index"
    index_results_url_name = "govsite_audit:index_results"
    filterset_class = selection.AuditEntryFilterSet
    search_fields = selection.SEARCH_FIELDS
    search_backend_name = None
    search_box_placeholder = "搜索对象、说明和详情"
    default_ordering = "-at"
    paginate_by = 50

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.is_export = False  # exports are AuditExportView's

    def get(self, request, *args, **kwargs):
        # A filter the list cannot apply is left out, and a search too long finds nothing:
        # either way the auditor is told why, in the list's frame (not its results fragment).
        if not self.results_only:
            errors = selection.filter_errors(selecting(request.GET))
            if errors:
                messages.error(request, f"筛选条件有误：{errors}")
        return super().get(request, *args, **kwargs)

    def user_has_permission(self, permission):
        return permission == "view"

    def user_has_any_permission(self, permissions):
        return "view" in permissions

    def get_queryset(self):
        # The filters, search and order of the list are selection's: the export that runs
        # later from the same query selects the same entries.
        return selection.selected(self.request.GET)

    def get_breadcrumbs_items(self):
        return [_home(), {"url": "", "label": MENU_LABEL}]

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "at",
                label="时间",
                sort_key="at",
                accessor=lambda entry: f"{timezone.localtime(entry.at):%Y-%m-%d %H:%M:%S}",
                get_url=lambda entry: reverse("govsite_audit:detail", args=[entry.pk]),
            ),
            Column("actor_username", label="操作人"),
            Column("category", label="类别", accessor="get_category_display"),
            Column("action_label", label="操作"),
            Column("target_repr", label="对象"),
            Column("summary", label="说明"),
            Column("ip_address", label="IP 地址"),
        ]

    def export_query(self):
        return selecting(self.request.GET).urlencode()

    @cached_property
    def header_buttons(self):
        query = self.export_query()
        return [
            HeaderButton(
                label,
                url=reverse("govsite_audit:export", args=[export_type])
                + (f"?{query}" if query else ""),
                icon_name="download",
                priority=priority,
            )
            for priority, (export_type, label) in enumerate(
                [("xlsx", "导出 Excel"), ("csv", "导出 CSV")], 1
            )
        ]


class AuditExportView(ReadMixin, ExportView):
    """The entries the list shows with the same filters and search, as a file of any size.
    GET says what the file would hold; POST records the export and starts it as a background
    job, and the auditor lands on the job's page, where the file is downloaded when ready. A
    filter the list could not apply exports nothing: the auditor is sent back to correct it."""

    http_method_names = ExportView.http_method_names
    template_name = "audit/export.html"
    back_label = "返回审计日志"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.query = selecting(request.GET)

    def back_url(self):
        query = self.query.urlencode()
        return reverse("govsite_audit:index") + (f"?{query}" if query else "")

    def get_page_title(self):
        return tasks.export_label(self.export_type)

    def get_breadcrumbs_items(self):
        return [
            _home(),
            {"url": self.back_url(), "label": MENU_LABEL},
            {"url": "", "label": self.get_page_title()},
        ]

    def refusal(self):
        """Nothing for a filter the list could not apply."""
        errors = selection.filter_errors(self.query)
        if errors:
            messages.error(self.request, f"筛选条件有误，未导出：{errors}")
            return redirect(self.back_url())
        return None

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "count": selection.selected(self.query).count(),
            "filters": selection.described(self.query),
        }

    def start_job(self):
        # The file holds what the list showed now: nothing written after the last entry now,
        # and not this export's own record.
        up_to = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.count = selection.selected(self.query).filter(pk__lte=up_to).count()
        export_type = self.export_type
        record(
            "audit_exported",
            summary=f"导出 {export_type.upper()}，{self.count} 条",
            detail={
                "format": export_type,
                "rows": self.count,
                "filters": {key: self.query.getlist(key) for key in self.query},
            },
        )
        return runner.start(
            tasks.export_job,
            tasks.export_label(export_type),
            user=self.request.user,
            url=self.back_url(),
            result_permission=rules.VIEW_PERMISSION,
            export_type=export_type,
            query=self.query.urlencode(),
            up_to=up_to,
            filename=f"审计日志-{timezone.localtime():%Y%m%d-%H%M%S}.{export_type}",
        )

    def get_started_message(self):
        return (
            f"已开始导出审计日志（后台任务），共 {self.count} 条，完成后在本页下载文件"
            "（只有您本人可以下载）。"
        )


class AuditEntryDetailView(ReadMixin, WagtailAdminTemplateMixin, TemplateView):
    """One entry, every field of it, the detail laid out in full."""

    template_name = "audit/detail.html"
    page_title = "审计日志详情"
    header_icon = "list-ul"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.entry = get_object_or_404(AuditEntry, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return f"{timezone.localtime(self.entry.at):%Y-%m-%d %H:%M:%S} {self.entry.action_label}"

    def get_breadcrumbs_items(self):
        return [
            _home(),
            {"url": reverse("govsite_audit:index"), "label": MENU_LABEL},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.entry
        context.update(
            entry=entry,
            target_type=exports.target_type_name(entry),
            detail=exports.detail_text(entry, indent=2),
            same_actor_url=reverse("govsite_audit:index")
            + "?"
            + urlencode({"actor": entry.actor_username}),
        )
        return context
