"""领导看板 (第二十一、二十二条; R-ASSESS-2): a director sees, for the sections they supervise,
the scores and ranks over the year (chart and table), the columns overdue now, the letters
overdue now and this month's submissions; 综合科 sees the whole office
(``rules.visible_sections``). Each block is read once for all its sections: the queries do
not grow with the pages, letters or items."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from govsite.days import day_start
from govsite.mailbox.models import Letter
from govsite.reporting.models import Item, ReportingSettings, SectionQuota

from .. import rules, scoring
from .scores import chosen_section, home, totals_chart, trend, trend_chart

# How many rows of a list the board shows (the counts cover all of them).
SHOWN = 10


def overdue_columns(sections, now=None):
    """The columns of ``sections`` overdue or blank now, most overdue first."""
    now = now or timezone.now()
    states = scoring.column_states_at([now], sections=sections)[now]
    late = [s for s in states if s.state in ("overdue", "blank")]
    return sorted(late, key=lambda s: (s.state != "overdue", -(s.days_overdue or 0)))


def submissions(sections, now=None):
    """This month's items sent by each section against its quota:
    [(section, sent, quota, short)]."""
    now = now or timezone.now()
    start = day_start(scoring.month_of(timezone.localdate(now)))
    sent = Counter(
        dict(
            Item.objects.sent_between(start, now)
            .of_sections(sections)
            .values_list("section")
            .annotate(n=Count("pk"))
            .values_list("section", "n")
        )
    )
    default = ReportingSettings.load().monthly_quota
    quotas = dict(
        SectionQuota.objects.filter(section__in=sections).values_list("section", "monthly_quota")
    )
    rows = []
    for section in sections:
        quota = quotas.get(section.pk, default)
        rows.append((section, sent[section.pk], quota, max(quota - sent[section.pk], 0)))
    return rows


def month_cells(row, months):
    """(total, rank) of each month for a section's row, None where it has no score."""
    if row is None:
        return [None] * len(months)
    return [
        (row.months[month], row.month_ranks[month]) if month in row.months else None
        for month in months
    ]


class LeadersView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "assessment/leaders.html"
    page_title = "领导看板"
    header_icon = "view"
    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and rules.may_view_leaders_view(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [home(), {"url": "", "label": self.page_title}]

    def year(self):
        try:
            return int(self.request.GET.get("year", ""))
        except ValueError:
            return timezone.localdate().year

    def get_context_data(self, **kwargs):
        user = self.request.user
        sections = rules.visible_sections(user)
        year = self.year()
        today = timezone.localdate()
        year_scores = scoring.year_scores(year, sections=sections)
        by_section = year_scores.by_section()
        trend_rows = trend(year_scores, chosen_section(self.request))
        letters = (
            Letter.objects.overdue(today)
            .filter(section__in=sections)
            .select_related("section")
            .order_by("deadline", "pk")
        )
        letter_counts = Counter(
            dict(letters.order_by().values_list("section").annotate(n=Count("pk")))
        )
        columns = overdue_columns(sections)
        return {
            **super().get_context_data(**kwargs),
            "whole_office": rules.sees_whole_office(user),
            "sections": sections,
            "year": year,
            "years": [today.year - 1, today.year],
            "months": year_scores.months,
            "score_rows": [
                (
                    section,
                    by_section.get(section.pk),
                    month_cells(by_section.get(section.pk), year_scores.months),
                )
                for section in sections
            ],
            "year_scores": year_scores,
            "bar_chart": totals_chart(year_scores) if year_scores.rows else None,
            "line_chart": (
                trend_chart(f"{year}年各月考核得分", year_scores, trend_rows)
                if trend_rows
                else None
            ),
            "trend_rows": trend_rows,
            "choose_trend": len(trend_rows) < len(year_scores.rows),
            "letters": list(letters[:SHOWN]),
            "letter_total": sum(letter_counts.values()),
            "letter_counts": [(s, letter_counts.get(s.pk, 0)) for s in sections],
            "columns": columns[:SHOWN] if columns is not None else None,
            "column_total": len(columns) if columns is not None else 0,
            "submissions": submissions(sections),
            "scores_url": reverse("assessment_scores"),
            "month_label": f"{today.year}年{today.month}月",
        }
