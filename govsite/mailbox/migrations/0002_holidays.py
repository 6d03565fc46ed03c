"""The working-day calendar's starting data (data/holidays.toml); 综合科 keeps it up to date."""

import tomllib
from pathlib import Path

from django.db import migrations

HOLIDAYS = Path(__file__).resolve().parent.parent / "data" / "holidays.toml"


def days():
    with open(HOLIDAYS, "rb") as handle:
        return tomllib.load(handle)["days"]


def load(apps, schema_editor):
    Holiday = apps.get_model("mailbox", "Holiday")
    for day in days():
        Holiday.objects.get_or_create(
            date=day["date"], defaults={"name": day["name"], "workday": day.get("workday", False)}
        )


def unload(apps, schema_editor):
    apps.get_model("mailbox", "Holiday").objects.filter(
        date__in=[day["date"] for day in days()]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("mailbox", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
