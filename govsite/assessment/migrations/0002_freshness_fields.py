"""Column freshness (第十五条; R-ASSESS-1): whether a rule is assessed, the stale multiple, the
supervising section, a reminder's kind, and the record of the office's 单项否决 warnings. The
default data follows in 0003 (a migration of its own: PostgreSQL refuses to build this one's
indexes while the rows it would insert still have their foreign keys to check)."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

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
    ]
