"""审计日志 in the admin (R-SEC-4): one searchable list for 审计管理员, one entry's detail, and
the export of what the list shows as .xlsx or .csv.

Read-only: every view answers GET only, and nothing here can change or remove an entry. Who may
read is ``rules.may_read``; anyone else gets a 403. Each export is itself recorded.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseForbidden, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header, urlencode
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import registry as log_registry

from govsite.exports.tables import CONTENT_TYPES
from govsite.mailbox.models import LetterEvent

from . import exports, rules, signal_handlers
from .events import ACTIONS, record
from .models import AuditEntry, Category

MENU_LABEL = "审计日志"
EXPORT_TYPES = CONTENT_TYPES


def _home():
    return {"url": reverse("wagtailadmin_home"), "label": "首页"}


def action_choices():
    """Every action the log may hold, grouped by category: this project's, the mailbox's and
    Wagtail's (its labels as Wagtail shows them)."""
    groups = {category: [] for category in Category}
    for code, (label, category) in ACTIONS.items():
        groups[category].append((code, label))
    groups[Category.MAILBOX] += [
        (f"mailbox.{code}", label) for code, label in LetterEvent.Action.choices
    ]
    for code, label in log_registry.get_choices():
        workflow = code.startswith(signal_handlers.WORKFLOW_PREFIXES)
        category = Category.WORKFLOW if workflow else Category.CONTENT
        groups[category].append((code, str(label)))
    return [
        (category.label, sorted(set(choices), key=lambda choice: choice[0]))
        for category, choices in groups.items()
        if choices
    ]


class IPAddressFilter(django_filters.Filter):
    field_class = forms.GenericIPAddressField


class AuditEntryFilterSet(WagtailFilterSet):
    at = django_filters.DateFromToRangeFilter(label="日期", widget=DateRangePickerWidget)
    actor = django_filters.CharFilter(
        label="操作人",
        field_name="actor_username",
        help_text="用户名，须完整输入；登录失败时为所输入的用户名。",
    )
    category = django_filters.ChoiceFilter(
        label="类别", choices=Category.choices, empty_label="全部"
    )
    action = django_filters.ChoiceFilter(label="操作", choices=action_choices, empty_label="全部")
    ip = IPAddressFilter(label="IP 地址", field_name="ip_address")

    class Meta:
        model = AuditEntry
        fields = []


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


class ReadMixin:
    """GET only, for those who may read the log (``rules.may_read``)."""

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
    filterset_class = AuditEntryFilterSet
    search_fields = ["target_repr", "summary", "detail"]
    search_backend_name = None
    search_box_placeholder = "搜索对象、说明和详情"
    default_ordering = "-at"
    paginate_by = 50

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.is_export = False  # exports are AuditExportView's

    def user_has_permission(self, permission):
        return permission == "view"

    def user_has_any_permission(self, permissions):
        return "view" in permissions

    def get_base_queryset(self):
        return AuditEntry.objects.all()

    def order_queryset(self, queryset):
        # The same instant is common (a login and its session record): the id breaks ties.
        if self.ordering == "at":
            return queryset.order_by("at", "pk")
        return queryset.order_by("-at", "-pk")

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
        query = self.request.GET.copy()
        for name in (self.page_kwarg, "_w_filter_fragment", "export"):
            query.pop(name, None)
        return query.urlencode()

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


class AuditExportView(AuditEntryIndexView):
    """The entries the list shows with the same filters and search, as a file. A filter the
    list could not apply exports nothing: the auditor is sent back to correct it."""

    def get(self, request, export_type):
        if export_type not in EXPORT_TYPES:
            raise Http404
        back = reverse("govsite_audit:index") + (
            f"?{self.export_query()}" if self.export_query() else ""
        )
        if self.filters is not None and not self.filters.is_valid():
            errors = "；".join(
                f"{self.filters.form.fields[name].label}：{' '.join(problems)}"
                for name, problems in self.filters.form.errors.items()
            )
            messages.error(request, f"筛选条件有误，未导出：{errors}")
            return redirect(back)
        entries = self.get_queryset()
        count = entries.count()
        if export_type == "xlsx" and count > exports.XLSX_MAX_ROWS:
            messages.error(
                request,
                f"筛选结果共 {count} 条，超过 Excel 导出的上限 {exports.XLSX_MAX_ROWS} 条："
                "请缩小日期范围或增加筛选条件，或导出 CSV（不限条数）。",
            )
            return redirect(back)
        entry = record(
            "audit_exported",
            summary=f"导出 {export_type.upper()}，{count} 条",
            detail={
                "format": export_type,
                "rows": count,
                "filters": {key: request.GET.getlist(key) for key in request.GET},
            },
        )
        entries = entries.exclude(pk=entry.pk)
        filename = f"审计日志-{timezone.localtime():%Y%m%d-%H%M%S}.{export_type}"
        if export_type == "csv":
            response = StreamingHttpResponse(
                exports.csv_chunks(entries.iterator(chunk_size=2000)),
                content_type=EXPORT_TYPES["csv"],
            )
        else:
            response = HttpResponse(
                exports.xlsx_bytes(entries.iterator(chunk_size=2000)),
                content_type=EXPORT_TYPES["xlsx"],
            )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=filename
        )
        response["Cache-Control"] = "private, no-store"
        return response


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
