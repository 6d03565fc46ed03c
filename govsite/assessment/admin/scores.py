"""考核得分 (第二十一、二十二条; R-ASSESS-2): the scores of a month, quarter or year for the
sections the user sees (``rules.visible_sections``): the table (sections × items, total,
rank), each section's itemised deductions, the totals as a chart; 关账 for 综合科's chief; the
考核表 as .xlsx (a background job, as every export of the house)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from govsite import charts
from govsite.jobs import runner
from govsite.jobs.views import ExportView

from .. import rules, scoring, tasks
from ..forms import ScorePeriodForm, period_scores

MENU_LABEL = "监督考核"
PAGE_TITLE = "考核得分"


def home():
    return {"url": reverse("wagtailadmin_home"), "label": "首页"}


def scores_url(**values):
    return reverse("assessment_scores") + ("?" + urlencode(values) if values else "")


class ScoresMixin:
    """The sections the user sees; nobody else opens these pages."""

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and rules.may_view_scores(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def sections(self):
        return rules.visible_sections(self.request.user)

    @cached_property
    def form(self):
        return ScorePeriodForm.for_request(self.request)


def full_marks(scores):
    return max((rule_set.full_marks for rule_set in scores.rule_sets), default=None)


def totals_chart(scores):
    """The totals of the period, one bar per section, best first."""
    return charts.bar(
        f"{scores.label}各科室考核总分",
        [(row.section.name, row.total) for row in scores.rows],
        unit="分",
        max_value=full_marks(scores),
        label_header="科室",
        value_header="总分",
    )


def trend(scores, chosen=None):
    """The rows whose scores over the months a line chart draws: every section when the chart
    can tell them apart (``charts.COLOURS``), else the one ``chosen`` (a section id), the
    first ranked by default."""
    if len(scores.rows) <= len(charts.COLOURS):
        return scores.rows
    by_pk = scores.by_section()
    return [by_pk.get(chosen) or scores.rows[0]] if scores.rows else []


def trend_chart(title, scores, rows):
    return charts.line(
        title,
        [
            (row.section.name, [(f"{m.month}月", row.months.get(m)) for m in scores.months])
            for row in rows
        ],
        unit="分",
        max_value=full_marks(scores),
        x_header="月份",
    )


def chosen_section(request):
    try:
        return int(request.GET.get("section", ""))
    except ValueError:
        return None


def score_table(scores):
    """The rows of the table: (row, [item score or None per column of ``scores.measures``])."""
    table = []
    for row in scores.rows:
        by_measure = {item.measure: item for item in row.items}
        table.append((row, [by_measure.get(measure) for measure, _n, _w in scores.measures]))
    return table


class ScoresView(ScoresMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "assessment/scores/index.html"
    page_title = PAGE_TITLE
    header_icon = "pick"
    http_method_names = ["get", "head"]

    def get_breadcrumbs_items(self):
        return [home(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form,
            whole_office=rules.sees_whole_office(self.request.user),
            may_keep_rules=rules.may_keep_rules(self.request.user),
        )
        if not self.form.is_valid():
            return context
        values = self.form.values()
        scores = period_scores(values, self.sections)
        context.update(
            scores=scores,
            table=score_table(scores),
            query=urlencode(values),
            export_url=reverse("assessment_scores_export", args=["xlsx"]) + "?" + urlencode(values),
            chart=totals_chart(scores) if scores.rows else None,
        )
        if values["period"] == "month":
            month = date(values["year"], values["month"], 1)
            context["may_close"] = (
                rules.may_close_month(self.request.user)
                and not scores.closed
                and scores.rows
                and month < scoring.month_of(timezone.localdate())
            )
            context["close_url"] = reverse("assessment_close_month", args=[month.isoformat()])
        elif scores.rows:
            rows = trend(scores, chosen_section(self.request))
            context.update(
                trend_rows=rows,
                choose_trend=len(rows) < len(scores.rows),
                trend_chart=trend_chart(f"{scores.label}各月考核得分", scores, rows),
            )
        return context


class CloseMonthView(ScoresMixin, WagtailAdminTemplateMixin, TemplateView):
    """关账: GET asks to confirm, POST freezes the month (``scoring.close_month``). A refusal
    says why and changes nothing."""

    template_name = "assessment/scores/close.html"
    header_icon = "lock"
    http_method_names = ["get", "head", "post"]

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and rules.may_close_month(request.user)):
            raise PermissionDenied
        try:
            self.month = scoring.month_of(date.fromisoformat(kwargs["month"]))
        except ValueError:
            messages.error(request, "月份有误，未关账。")
            return redirect("assessment_scores")
        return super().dispatch(request, *args, **kwargs)

    @property
    def label(self):
        return f"{self.month.year}年{self.month.month}月"

    def get_page_title(self):
        return f"{self.label}关账"

    def back_url(self):
        return scores_url(period="month", year=self.month.year, month=self.month.month)

    def get_breadcrumbs_items(self):
        return [
            home(),
            {"url": self.back_url(), "label": PAGE_TITLE},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "label": self.label,
            "back_url": self.back_url(),
        }

    def post(self, request, *args, **kwargs):
        try:
            scoring.close_month(self.month, request.user)
        except ValidationError as refusal:
            messages.error(request, "；".join(refusal.messages))
        else:
            messages.success(
                request,
                f"{self.label}已关账：各科室得分已固定，之后的修改不再改变本月考核结果。",
            )
        return redirect(self.back_url())


class ScoresExportView(ScoresMixin, ExportView):
    """考核表 (.xlsx): GET says what it will hold, POST starts ``tasks.export_scores_job``."""

    http_method_names = ExportView.http_method_names
    template_name = "assessment/scores/export.html"
    back_label = "返回考核得分"
    started_message = "已开始导出考核表（后台任务），完成后在本页下载文件。"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.export_type != "xlsx":  # the 考核表 is a sheet to print
            raise Http404

    def get_page_title(self):
        return "导出考核表（Excel）"

    def back_url(self):
        query = urlencode(self.form.values()) if self.form.is_valid() else ""
        return reverse("assessment_scores") + ("?" + query if query else "")

    def get_breadcrumbs_items(self):
        return [
            home(),
            {"url": self.back_url(), "label": PAGE_TITLE},
            {"url": "", "label": self.get_page_title()},
        ]

    def refusal(self):
        if self.form.is_valid():
            return None
        errors = [error for errors in self.form.errors.values() for error in errors]
        messages.error(self.request, "考核周期有误，未导出：" + "；".join(errors))
        return redirect("assessment_scores")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "label": period_label(self.form.values()),
            "section_count": len(self.sections),
        }

    def start_job(self):
        values = self.form.values()
        return runner.start(
            tasks.export_scores_job,
            f"导出{period_label(values)}考核表",
            user=self.request.user,
            url=self.back_url(),
            values=values,
            section_ids=[section.pk for section in self.sections],
        )


def period_label(values):
    if values["period"] == "month":
        return f"{values['year']}年{values['month']}月"
    if values["period"] == "quarter":
        return f"{values['year']}年第{values['quarter']}季度"
    return f"{values['year']}年"
