"""The period of a score screen or an 考核表: a month, a quarter or a year (R-ASSESS-2)."""

from datetime import date

from govsite.exports.forms import CalendarPeriodForm

from . import scoring


class ScorePeriodForm(CalendarPeriodForm):
    """月度 / 季度 / 年度; the last month that ended by default (the one to be closed)."""

    opening_month = staticmethod(scoring.previous_month)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].label = "考核周期"

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
