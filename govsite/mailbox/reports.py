"""Figures about letters: the monthly statistics published on the site (R-MAIL-5) and the
period summary 综合科 compiles and reports (整理上报, R-MAIL-3)."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from .models import Letter


@dataclass
class Statistics:
    start: date
    end: date
    received: int
    valid: int
    internal: int
    forwarded: int
    closed: int  # answered
    average_days: float | None  # working days from receipt to reply
    on_time: int  # answered by the deadline (internal) or within the office's limit

    @property
    def on_time_rate(self):
        return round(self.on_time * 100 / self.closed, 1) if self.closed else None


def answered_on_time(letter, limit, calendar=None):
    """R-MAIL-5: answered by its deadline when it has one (internal letters), else within the
    office's limit of ``limit`` working days (on ``calendar``: ``models.holiday_calendar``)."""
    if letter.deadline:
        return timezone.localdate(letter.replied_at) <= letter.deadline
    return letter.handling_days(calendar) <= limit


def month_range(year, month):
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def statistics(start, end):
    """The letters received from ``start`` to ``end`` (dates, inclusive) and how they fared."""
    from .models import MailboxSettings, holiday_calendar

    letters = Letter.objects.received_between(start, end)
    valid = letters.valid()
    answered = list(valid.answered())
    limit = MailboxSettings.load().reply_working_days
    calendar = holiday_calendar()
    days = [letter.handling_days(calendar) for letter in answered]
    on_time = sum(answered_on_time(letter, limit, calendar) for letter in answered)
    return Statistics(
        start=start,
        end=end,
        received=letters.count(),
        valid=valid.count(),
        internal=valid.filter(scope=Letter.Scope.INTERNAL).count(),
        forwarded=valid.filter(scope=Letter.Scope.GOVERNMENT).count(),
        closed=len(answered),
        average_days=round(sum(days) / len(days), 1) if days else None,
        on_time=on_time,
    )


def monthly(year, month):
    return statistics(*month_range(year, month))
