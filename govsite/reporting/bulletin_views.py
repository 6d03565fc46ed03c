"""信息报送通报 and the sections' quotas in the admin (R-INFO-3; 第十六、二十二条): the 通报 of a
month, a quarter or a year as a table, a chart and an .xlsx (a background job, as every export);
综合科's page of the sections' monthly quotas. Who sees which lines is ``rules``'; the figures are
``reports``'."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from govsite import charts
from govsite.exports.forms import CalendarPeriodForm
from govsite.jobs import runner
from govsite.jobs.views import ExportView, refuse
from govsite.sections.models import Section

from . import reports, rules, tasks
from .models import ReportingSettings, SectionQuota

BULLETIN_LABEL = "信息报送通报"
QUOTAS_LABEL = "科室报送定额"
NOT_YOURS = "信息报送通报只对综合科、主管主任和各科室的信息员、科长开放。"
NOT_OFFICE = "科室报送定额由综合科维护。"


def home():
    return {"url": reverse("wagtailadmin_home"), "label": "首页"}


class PeriodChoiceForm(CalendarPeriodForm):
    """统计时段: a month, a quarter or a year; this month by default."""

    def period(self):
        data = self.cleaned_data
        number = {reports.MONTH: data.get("month"), reports.QUARTER: data.get("quarter")}
        return reports.Period(data["period"], data["year"], number.get(data["period"]) or 1)


def period_query(period):
    values = {"period": period.kind, "year": period.year}
    if period.kind == reports.MONTH:
        values["month"] = period.number
    if period.kind == reports.QUARTER:
        values["quarter"] = period.number
    return urlencode(values)


class BulletinMixin:
    """The 通报 for whoever has a line to see (``rules.may_see_bulletin``); a clear refusal
    otherwise."""

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and rules.may_see_bulletin(request.user)):
            return refuse(request, NOT_YOURS, title=BULLETIN_LABEL)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def form(self):
        return PeriodChoiceForm.for_request(self.request)

    def shown(self, period):
        sections = rules.bulletin_sections(self.request.user)
        return reports.bulletin(period).for_sections(sections)


def chart_of(bulletin):
    """The bar chart of 得分 per section, in rank order; its figures are the 通报's table."""
    return charts.bar(
        f"{bulletin.title}：得分",
        [(line.section.name, line.points) for line in bulletin.lines],
        unit="分",
        caption="按得分排列，数据见下方通报表",
        label_header="科室",
        value_header="得分",
        slug="bulletin-chart",
    )


class BulletinView(BulletinMixin, WagtailAdminTemplateMixin, TemplateView):
    """信息报送通报: the table, the chart and the file of the chosen period."""

    http_method_names = ["get", "head"]
    template_name = "reporting/bulletin/index.html"
    page_title = BULLETIN_LABEL
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [home(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        user = self.request.user
        context["whole_office"] = rules.sees_whole_office(user)
        if self.form.is_valid():
            period = self.form.period()
            bulletin = self.shown(period)
            context.update(
                bulletin=bulletin,
                total=bulletin.total,
                chart=chart_of(bulletin),
                export_url=reverse("reporting_bulletin_export", args=["xlsx"])
                + "?"
                + period_query(period),
                may_keep_quotas=rules.may_keep_quotas(user),
            )
        return context


class BulletinExportView(BulletinMixin, ExportView):
    """GET: what the file will hold; POST: ``tasks.export_bulletin_job``, then the job's page,
    where the file is downloaded."""

    template_name = "reporting/bulletin/export.html"
    back_label = "返回信息报送通报"
    started_message = "已开始导出信息报送通报（后台任务），完成后在本页下载文件。"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.export_type != "xlsx":  # laid out for printing: Excel only
            raise Http404

    def get_page_title(self):
        return tasks.export_label(self.form.period())

    def back_url(self):
        query = period_query(self.form.period()) if self.form.is_valid() else ""
        return reverse("reporting_bulletin") + ("?" + query if query else "")

    def get_breadcrumbs_items(self):
        return [
            home(),
            {"url": self.back_url(), "label": BULLETIN_LABEL},
            {"url": "", "label": self.get_page_title()},
        ]

    def refusal(self):
        if self.form.is_valid():
            return None
        messages.error(self.request, "统计时段有误，未导出，请重新选择。")
        return redirect("reporting_bulletin")

    def get_context_data(self, **kwargs):
        period = self.form.period()
        return {
            **super().get_context_data(**kwargs),
            "bulletin": self.shown(period),
        }

    def start_job(self):
        period = self.form.period()
        return runner.start(
            tasks.export_bulletin_job,
            self.get_page_title(),
            user=self.request.user,
            url=self.back_url(),
            kind=period.kind,
            year=period.year,
            number=period.number,
        )


class QuotasView(WagtailAdminTemplateMixin, TemplateView):
    """科室报送定额 (R-INFO-3): each section's monthly quota — blank for the office's own
    (``ReportingSettings.monthly_quota``), 0 to exempt a section. Kept by 综合科."""

    http_method_names = ["get", "head", "post"]
    template_name = "reporting/bulletin/quotas.html"
    page_title = QUOTAS_LABEL
    header_icon = "list-ol"

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and rules.may_keep_quotas(request.user)):
            return refuse(request, NOT_OFFICE, title=QUOTAS_LABEL)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            home(),
            {"url": reverse("reporting_bulletin"), "label": BULLETIN_LABEL},
            {"url": "", "label": self.page_title},
        ]

    @cached_property
    def sections(self):
        return list(Section.objects.select_related("reporting_quota"))

    def field_name(self, section):
        return f"quota-{section.pk}"

    def rows(self, data=None):
        rows = []
        for section in self.sections:
            own = getattr(section, "reporting_quota", None)
            name = self.field_name(section)
            if data is None:
                value = "" if own is None else str(own.monthly_quota)
            else:
                value = data.get(name, "").strip()
            rows.append({"section": section, "name": name, "value": value, "error": ""})
        return rows

    def get_context_data(self, rows=None, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "rows": rows if rows is not None else self.rows(),
            "default": ReportingSettings.load().monthly_quota,
        }

    def post(self, request, *args, **kwargs):
        rows = self.rows(request.POST)
        for row in rows:
            if row["value"] and not (row["value"].isdigit() and int(row["value"]) <= 100):
                row["error"] = "请填写 0 至 100 的整数，或留空使用统一定额。"
        if any(row["error"] for row in rows):
            messages.error(request, "定额有误，未保存；请按提示修改后重新保存。")
            return self.render_to_response(self.get_context_data(rows=rows), status=400)
        changed = 0
        with transaction.atomic():
            for row in rows:
                section, value = row["section"], row["value"]
                own = getattr(section, "reporting_quota", None)
                if value == "" and own is not None:
                    own.delete()
                    changed += 1
                elif value != "" and (own is None or own.monthly_quota != int(value)):
                    SectionQuota.objects.update_or_create(
                        section=section, defaults={"monthly_quota": int(value)}
                    )
                    changed += 1
        if changed:
            messages.success(request, f"已保存科室报送定额，{changed} 个科室有变化。")
        else:
            messages.info(request, "定额没有变化。")
        return redirect("reporting_quotas")
