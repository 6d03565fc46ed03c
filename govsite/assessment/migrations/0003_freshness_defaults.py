"""Column freshness (第十五条; R-ASSESS-1): the default rules, 单项否决 lines and settings of
data/freshness.toml (the national indicators, 国办秘函〔2019〕19号), loaded once; 综合科 keeps
them in the admin afterwards. Which column gets which rule is applied by ``bootstrap_site`` (the
columns do not exist yet on a new database): see
``govsite.assessment.freshness.apply_column_rules``."""

import tomllib
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "freshness.toml"


def data():
    with open(DATA, "rb") as handle:
        return tomllib.load(handle)


def load(apps, schema_editor):
    FreshnessRule = apps.get_model("assessment", "FreshnessRule")
    VetoLine = apps.get_model("assessment", "VetoLine")
    FreshnessSettings = apps.get_model("assessment", "FreshnessSettings")
    spec = data()
    rules = {}
    for order, rule in enumerate(spec["rules"], 1):
        rules[rule["name"]], _ = FreshnessRule.objects.get_or_create(
            name=rule["name"],
            defaults={
                "max_days": rule["max_days"],
                "warn_days": rule.get("warn_days", 3),
                "by_review": rule.get("by_review", False),
                "assessed": rule.get("assessed", True),
                "order": order * 10,
            },
        )
    for line in spec["veto_lines"]:
        VetoLine.objects.get_or_create(
            measure=line["measure"], defaults={"limit": line["limit"], "warn_at": line["warn_at"]}
        )
    defaults = spec["defaults"]
    settings = FreshnessSettings.objects.first() or FreshnessSettings()
    settings.dynamic_rule = settings.dynamic_rule or rules[defaults["dynamic"]]
    settings.fixed_rule = settings.fixed_rule or rules[defaults["fixed"]]
    settings.homepage_max_days = defaults["homepage_max_days"]
    settings.stale_multiple = defaults["stale_multiple"]
    settings.save()


def unload(apps, schema_editor):
    spec = data()
    names = [rule["name"] for rule in spec["rules"]]
    apps.get_model("assessment", "FreshnessSettings").objects.all().delete()
    apps.get_model("assessment", "ColumnRule").objects.filter(rule__name__in=names).delete()
    apps.get_model("assessment", "FreshnessRule").objects.filter(name__in=names).delete()
    apps.get_model("assessment", "VetoLine").objects.filter(
        measure__in=[line["measure"] for line in spec["veto_lines"]]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_freshness_fields")]

    operations = [migrations.RunPython(load, unload)]
