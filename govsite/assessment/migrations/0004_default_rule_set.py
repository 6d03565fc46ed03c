"""The default 考核细则 (双百考核 website part, 第二十一、二十二条), in force from January 2026.
The weights add up to the full 100; 综合科 edits them, or adds a rule set from a later month."""

from datetime import date
from decimal import Decimal

from django.db import migrations

EFFECTIVE_FROM = date(2026, 1, 1)
# measure, weight, per unit (deducted per occurrence; 信息采用: score per adoption point)
RULES = [
    ("freshness", "30", "2"),
    ("quota", "20", "10"),
    ("adoption", "20", "1"),
    ("screening_returns", "10", "1"),
    ("serious_errors", "10", "5"),
    ("letters", "10", "2"),
    ("corrections", "0", "2"),
]


def seed(apps, schema_editor):
    RuleSet = apps.get_model("assessment", "RuleSet")
    ScoreRule = apps.get_model("assessment", "ScoreRule")
    if RuleSet.objects.filter(effective_from=EFFECTIVE_FROM).exists():
        return
    rule_set = RuleSet.objects.create(
        name="双百考核网站部分（默认）",
        effective_from=EFFECTIVE_FROM,
        full_marks=Decimal("100"),
        note="栏目更新 30、信息报送 20、信息采用 20、审查退回 10、严重差错 10、来信按时办理 10、"
        "纠错按时办理 0（纠错功能启用后再给分值）。",
    )
    for order, (measure, weight, per_unit) in enumerate(RULES):
        ScoreRule.objects.create(
            rule_set=rule_set,
            sort_order=order,
            measure=measure,
            weight=Decimal(weight),
            per_unit=Decimal(per_unit),
        )


def unseed(apps, schema_editor):
    RuleSet = apps.get_model("assessment", "RuleSet")
    ClosedMonth = apps.get_model("assessment", "ClosedMonth")
    rule_set = RuleSet.objects.filter(effective_from=EFFECTIVE_FROM).first()
    if rule_set is not None and not ClosedMonth.objects.filter(rule_set=rule_set).exists():
        rule_set.delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0003_freshness_defaults")]

    operations = [migrations.RunPython(seed, unseed)]
