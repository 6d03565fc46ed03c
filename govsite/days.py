"""The office's days as moments: a date the staff or the public choose (a period's first and
last day, a survey's day) becomes a range of aware datetimes in the office's time zone
(Asia/Shanghai), so that a filter on a datetime column is a range its index answers."""

from datetime import datetime, time, timedelta

from django.utils import timezone


def day_start(day):
    """00:00 of ``day`` in the office's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def days(first, last):
    """[``first`` 00:00, the day after ``last`` 00:00): the days ``first`` to ``last``."""
    return day_start(first), day_start(last + timedelta(days=1))
