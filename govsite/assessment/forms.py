"""The period of a score screen or an 考核表: a month, a quarter or a year (R-ASSESS-2)."""

from datetime import date

from django import forms
from django.utils import timezone

from . import scoring

FIRST_YEAR, LAST_YEAR = 2000, 2100


class ScorePeriodForm(forms.Form):
    """月度 / 季度 / 年度; the last month that ended by default (the one to be closed)."""

    period = forms.ChoiceField(
        label="考核周期", choices=[("month", "月度"), ("quarter", "季度"), ("year", "年度")]
    )
    year = forms.IntegerField(label="年份", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    month = forms.TypedChoiceField(
        label="月份",
        coerce=int,
        required=False,
        choices=[(n, f"{n}月") for n in range(1, 13)],
    )
    quarter = forms.TypedChoiceField(
        label="季度",
        coerce=int,
        required=False,
        choices=[(n, f"第{n}季度") for n in range(1, 5)],
    )

    @classmethod
    def for_request(cls, request, today=None):
        if "period" in request.GET:
            return cls(request.GET)
        return cls(cls.defaults(today))

    @staticmethod
    def defaults(today=None):
        today = today or timezone.localdate()
        last = scoring.previous_month(today)
        return {
            "period": "month",
            "year": last.year,
            "month": last.month,
            "quarter": (last.month - 1) // 3 + 1,
        }

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        if period == "month" and not cleaned.get("month"):
            self.add_error("month", "请选择月份。")
        if period == "quarter" and not cleaned.get("quarter"):
            self.add_error("quarter", "请选择季度。")
        return cleaned

    def values(self):
        """The cleaned values as plain data (a job's arguments)."""
        data = self.cleaned_data
        return {
            "period": data["period"],
            "year": data["year"],
            "month": data.get("month") or 0,
            "quarter": data.get("quarter") or 0,
        }


def period_scores(values, sections, now=None):
    """The ``PeriodScores`` of a form's ``values`` for ``sections``."""
    period, year = values["period"], values["year"]
    if period == "month":
        return scoring.month_scores(date(year, values["month"], 1), sections=sections, now=now)
    if period == "quarter":
        return scoring.quarter_scores(year, values["quarter"], sections=sections, now=now)
    return scoring.year_scores(year, sections=sections, now=now)
