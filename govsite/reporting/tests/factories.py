"""信息报送's objects for the bulletin's tests, stored directly through the models (the steps that
make them are the item screens' tests): items sent at a moment, outlets, adoptions,
instructions, quotas."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from ..models import (
    InstructionLevel,
    Item,
    ItemKind,
    LeaderInstruction,
    Outlet,
    OutletAdoption,
    ReportingSettings,
    SectionQuota,
)


def at(year, month, day, hour=10, minute=0):
    """A moment in the office's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def kind():
    return ItemKind.objects.get_or_create(name="重点工作")[0]


def sent_item(section, sent_at, status=Item.Status.AWAITING_OFFICE, title="动态信息"):
    return Item.objects.create(
        section=section, kind=kind(), title=title, status=status, sent_at=sent_at
    )


def outlet(name, points):
    return Outlet.objects.get_or_create(name=name, defaults={"points": Decimal(points)})[0]


def adopt(item, by, on=None):
    return OutletAdoption.objects.create(item=item, outlet=by, adopted_on=on or date(2026, 1, 1))


def instruct(item, level_name="市领导", points="10"):
    level = InstructionLevel.objects.get_or_create(
        name=level_name, defaults={"points": Decimal(points)}
    )[0]
    return LeaderInstruction.objects.create(
        item=item, level=level, leader="某领导", instructed_on=date(2026, 1, 1)
    )


def settings(**values):
    current = ReportingSettings.load()
    for name, value in values.items():
        setattr(current, name, value)
    current.save()
    return current


def quota(section, monthly_quota):
    return SectionQuota.objects.update_or_create(
        section=section, defaults={"monthly_quota": monthly_quota}
    )[0]


def choose_office():
    """工作动态 (owned by 综合科) as the column adopted items go to: 综合科 is the office."""
    from govsite.testing.helpers import sub_column

    return settings(adoption_column=sub_column("工作动态"))
