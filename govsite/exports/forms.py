"""Forms shared by the office's period reports: a range of days for 审核记录 (R-FLOW-4) and 整理上报
(R-MAIL-3); a month, a quarter or a year for the 信息报送通报 (R-INFO-3) and the 考核 scores
(R-ASSESS-2)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from govsite.days import days

# The years a period may fall in: the office's records start long after the first, and a
# date past the last (year 9999) would overflow the day after the period.
FIRST_YEAR, LAST_YEAR = 1990, 2100


class PeriodForm(forms.Form):
    start = forms.DateField(
        label="起始日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label="截止日期（含）", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    @classmethod
    def for_request(cls, request):
        if "start" in request.GET or "end" in request.GET:
            return cls(request.GET)
        today = timezone.localdate()
        return cls({"start": today.replace(day=1).isoformat(), "end": today.isoformat()})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        for name, day in (("start", start), ("end", end)):
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(name, f"日期须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间。")
                return cleaned
        if start and end and end < start:
            raise ValidationError("截止日期不能早于起始日期。")
        return cleaned

    def period(self):
        """[start 00:00, day after end 00:00) in the office's time zone."""
        return days(self.cleaned_data["start"], self.cleaned_data["end"])


MONTH, QUARTER, YEAR = "month", "quarter", "year"
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


class CalendarPeriodForm(forms.Form):
    """A month, a quarter or a year. A screen opens on the month ``opening_month(today)``
    names (this month; the 考核 screens, the last month that ended)."""

    period = forms.ChoiceField(
        label="统计时段", choices=[(MONTH, "月度"), (QUARTER, "季度"), (YEAR, "年度")]
    )
    year = forms.IntegerField(label="年份", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    month = forms.TypedChoiceField(
        label="月份", coerce=int, required=False, choices=[(n, f"{n}月") for n in range(1, 13)]
    )
    quarter = forms.TypedChoiceField(
        label="季度", coerce=int, required=False, choices=list(QUARTER_NAMES.items())
    )

    @staticmethod
    def opening_month(today):
        return today

    @classmethod
    def for_request(cls, request, today=None):
        if "period" in request.GET:
            return cls(request.GET)
        day = cls.opening_month(today or timezone.localdate())
        quarter = (day.month - 1) // 3 + 1
        return cls({"period": MONTH, "year": day.year, "month": day.month, "quarter": quarter})

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        if period == MONTH and not cleaned.get("month"):
            self.add_error("month", "请选择月份。")
        if period == QUARTER and not cleaned.get("quarter"):
            self.add_error("quarter", "请选择季度。")
        return cleaned
