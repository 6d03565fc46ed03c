"""Figures about letters: the monthly statistics published on the site (R-MAIL-5) and the
period summary 综合科 compiles and reports (整理上报, R-MAIL-3), with the writers' ratings of the
replies (R-MAIL-7)."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
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
    # The writers' ratings of the replies (R-MAIL-7)
    satisfied: int = 0
    fairly_satisfied: int = 0
    dissatisfied: int = 0

    @property
    def on_time_rate(self):
        return round(self.on_time * 100 / self.closed, 1) if self.closed else None

    @property
    def rated(self):
        return self.satisfied + self.fairly_satisfied + self.dissatisfied

    @property
    def satisfaction_rate(self):
        """满意率 (R-MAIL-7): 满意 and 基本满意 among the rated replies, in per cent."""
        if not self.rated:
            return None
        return round((self.satisfied + self.fairly_satisfied) * 100 / self.rated, 1)


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
    Rating = Letter.Rating
    ratings = valid.rated().aggregate(
        satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
        fairly_satisfied=Count("pk", filter=Q(rating=Rating.FAIRLY_SATISFIED)),
        dissatisfied=Count("pk", filter=Q(rating=Rating.DISSATISFIED)),
    )
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
        **ratings,
    )


def year_to_date(today=None):
    """来信统计 on the homepage (R-SITE-1, R-MAIL-5): (received, answered) of the letters
    received this year, to ``today``, in two counts."""
    today = today or timezone.localdate()
    letters = Letter.objects.received_between(date(today.year, 1, 1), today)
    answered = Q(pk__in=Letter.objects.valid().answered().values("pk"))
    figures = letters.aggregate(received=Count("pk"), answered=Count("pk", filter=answered))
    return figures["received"], figures["answered"]


def monthly(year, month):
    return statistics(*month_range(year, month))


def first_letter_day():
    """The day the mailbox received its first letter (the office's time zone), or None."""
    first = Letter.objects.order_by("received_at").values_list("received_at", flat=True).first()
    return timezone.localdate(first) if first else None
