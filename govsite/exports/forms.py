"""Forms shared by the office's period reports: 审核记录 (R-FLOW-4) and 整理上报 (R-MAIL-3)."""

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
