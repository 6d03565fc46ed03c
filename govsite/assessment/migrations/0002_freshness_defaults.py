"""Column freshness (第十五条; R-ASSESS-1): the new fields, and the default rules, 单项否决
lines and settings of data/freshness.toml (the national indicators, 国办秘函〔2019〕19号).
Which column gets which rule is applied by ``bootstrap_site`` (the columns do not exist yet
on a new database): see ``govsite.assessment.freshness.apply_column_rules``."""

import tomllib
from pathlib import Path

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

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

    dependencies = [
        ('assessment', '0001_initial'),
        ('columns', '0005_sitesettings_emblem'),
        ('sections', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='VetoWarning',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('measure', models.CharField(max_length=20, verbose_name='指标')),
                ('level', models.CharField(choices=[('ok', '正常'), ('warning', '预警'), ('veto', '达到否决线')], max_length=10, verbose_name='程度')),
                ('count', models.PositiveIntegerField(default=0, verbose_name='数量')),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
            ],
            options={
                'verbose_name': '单项否决预警',
                'verbose_name_plural': '单项否决预警',
                'ordering': ['-sent_at', '-pk'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='freshnessreminder',
            name='reminded_once_per_due',
        ),
        migrations.AddField(
            model_name='freshnessreminder',
            name='kind',
            field=models.CharField(choices=[('due_soon', '即将到期'), ('overdue', '已超期')], default='due_soon', max_length=10, verbose_name='提醒'),
        ),
        migrations.AddField(
            model_name='freshnessrule',
            name='assessed',
            field=models.BooleanField(default=True, help_text='不勾选：按此要求的栏目不列入栏目更新考核（如沟通信箱、满意度调查，另有考核）。', verbose_name='纳入更新考核'),
        ),
        migrations.AddField(
            model_name='freshnesssettings',
            name='office_section',
            field=models.ForeignKey(blank=True, help_text='负责网站考核的科室（综合科）：其信息员和科长看到全办的栏目更新情况和单项否决预警。', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='sections.section', verbose_name='考核科室'),
        ),
        migrations.AddField(
            model_name='freshnesssettings',
            name='stale_multiple',
            field=models.PositiveSmallIntegerField(default=2, help_text='栏目未更新的时间超过其更新要求天数的这么多倍，即为“长期未更新”（默认 2：超期后又过了一个更新周期）。', validators=[django.core.validators.MinValueValidator(2)], verbose_name='长期未更新倍数'),
        ),
        migrations.AddConstraint(
            model_name='freshnessreminder',
            constraint=models.UniqueConstraint(fields=('column', 'due_on', 'kind'), name='reminded_once_per_due'),
        ),
        migrations.RunPython(load, unload),
    ]
