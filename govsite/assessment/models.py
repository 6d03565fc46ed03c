"""监督考核 (第十五、二十一、二十二条; SPEC R-ASSESS-1, R-ASSESS-2): how fresh every column is
kept, and the website part of the office's 双百考核 — a score per section per month from rules
that are data, effective from a date so that past months keep the rules they were scored by.

Freshness: each sub-column has an update rule (``FreshnessRule``, defaulting from its kind per
the national indicators, 国办秘函〔2019〕19号); a relatively fixed column is kept fresh by its
owner recording a review (``ColumnReview``: "已复核，内容仍准确"). The office-wide counts are
watched against the 单项否决 lines (``VetoLine``), with a warning line below each.

Scores: a ``RuleSet`` of weighted ``ScoreRule`` rows; a month 综合科 closes (``ClosedMonth``)
keeps its scores as they were (``MonthScore``), so later edits never rewrite a published 通报.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable

from govsite.sections.models import Section

# ---------------------------------------------------------------------------------------------
# Freshness (R-ASSESS-1, 第十五条)


class FreshnessRule(models.Model):
    """更新要求: how long a column may stay silent (动态、要闻类 14 天, 通知公告、政策文件类 6 个月,
    人事、规划计划类 1 年; 相对固定类 a review interval)."""

    name = models.CharField("更新要求", max_length=50, unique=True)
    max_days = models.PositiveIntegerField("最长不更新天数", validators=[MinValueValidator(1)])
    by_review = models.BooleanField(
        "复核即视为更新",
        default=False,
        help_text="相对固定的栏目：负责科室确认“已复核，内容仍准确”即视为已更新。",
    )
    warn_days = models.PositiveSmallIntegerField(
        "到期前提醒天数", default=3, help_text="到期前这么多天提醒负责科室。"
    )
    assessed = models.BooleanField(
        "纳入更新考核",
        default=True,
        help_text="不勾选：按此要求的栏目不列入栏目更新考核（如沟通信箱、满意度调查，另有考核）。",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "栏目更新要求"
        verbose_name_plural = "栏目更新要求"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class ColumnRule(models.Model):
    """The update rule of one sub-column, where it is not its kind's default."""

    column = models.OneToOneField(
        "columns.SubColumnPage",
        verbose_name="栏目",
        on_delete=models.CASCADE,
        related_name="freshness_rule",
    )
    rule = models.ForeignKey(
        FreshnessRule, verbose_name="更新要求", on_delete=models.PROTECT, related_name="columns"
    )

    class Meta:
        verbose_name = "栏目的更新要求"
        verbose_name_plural = "栏目的更新要求"

    def __str__(self):
        return f"{self.column}：{self.rule}"


@register_setting(icon="time")
class FreshnessSettings(BaseGenericSetting):
    """栏目更新的默认规则: each kind's default rule and the homepage's limit (第十五条)."""

    dynamic_rule = models.ForeignKey(
        FreshnessRule,
        verbose_name="动态更新栏目的默认要求",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fixed_rule = models.ForeignKey(
        FreshnessRule,
        verbose_name="相对固定栏目的默认要求",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    homepage_max_days = models.PositiveSmallIntegerField(
        "首页最长不更新天数", default=14, help_text="首页栏目信息超过此天数未更新属单项否决。"
    )
    stale_multiple = models.PositiveSmallIntegerField(
        "长期未更新倍数",
        default=2,
        validators=[MinValueValidator(2)],
        help_text="栏目未更新的时间超过其更新要求天数的这么多倍，即为“长期未更新”"
        "（默认 2：超期后又过了一个更新周期）。",
    )

    class Meta:
        verbose_name = "栏目更新设置"


class VetoLine(models.Model):
    """A 单项否决 line on an office-wide count, and the warning line well before it."""

    class Measure(models.TextChoices):
        OVERDUE = "overdue", "超期未更新栏目"
        STALE = "stale", "长期未更新栏目"
        BLANK = "blank", "空白栏目"

    measure = models.CharField("指标", max_length=20, choices=Measure.choices, unique=True)
    limit = models.PositiveSmallIntegerField("否决线（个）", validators=[MinValueValidator(1)])
    warn_at = models.PositiveSmallIntegerField(
        "预警线（个）", help_text="达到此数即向综合科预警，须小于否决线。"
    )

    class Meta:
        verbose_name = "单项否决线"
        verbose_name_plural = "单项否决线"
        ordering = ["measure"]

    def __str__(self):
        return f"{self.get_measure_display()} ≥ {self.limit}"

    def clean(self):
        super().clean()
        if self.warn_at is not None and self.limit is not None and self.warn_at >= self.limit:
            raise ValidationError(
                {"warn_at": "预警线须小于否决线，才能在达到否决线之前提醒综合科。"}
            )


class ColumnReview(models.Model):
    """ "已复核，内容仍准确": the owner of a relatively fixed column reviewed it (第十五条:
    相对固定性信息应适时更新)."""

    column = models.ForeignKey(
        "columns.SubColumnPage",
        verbose_name="栏目",
        on_delete=models.CASCADE,
        related_name="freshness_reviews",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("复核时间", default=timezone.now)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "栏目复核记录"
        verbose_name_plural = "栏目复核记录"
        ordering = ["-reviewed_at", "-pk"]
        indexes = [models.Index(fields=["column", "-reviewed_at"], name="review_column_latest")]

    def __str__(self):
        return f"{self.column} 复核于 {self.reviewed_at:%Y-%m-%d}"


class FreshnessReminder(models.Model):
    """A column's owner was told its update is due on ``due_on`` (第十五条): told once per due
    date as it enters the warning window, and once more when it is overdue."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "即将到期"
        OVERDUE = "overdue", "已超期"

    column = models.ForeignKey("columns.SubColumnPage", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField("到期日")
    kind = models.CharField("提醒", max_length=10, choices=Kind.choices, default=Kind.DUE_SOON)
    sent_at = models.DateTimeField("提醒时间", default=timezone.now)

    class Meta:
        verbose_name = "栏目更新提醒"
        verbose_name_plural = "栏目更新提醒"
        constraints = [
            models.UniqueConstraint(
                fields=["column", "due_on", "kind"], name="reminded_once_per_due"
            )
        ]

    def __str__(self):
        return f"{self.column} 到期 {self.due_on:%Y-%m-%d}"


class VetoWarning(models.Model):
    """综合科 was told an office-wide count reached a level of a 单项否决 line (or the homepage
    line): told once each time the level rises, not every day it stays there. A return to
    ``ok`` is recorded too (without a notice), so that the next rise is told again."""

    class Level(models.TextChoices):
        OK = "ok", "正常"
        WARNING = "warning", "预警"
        VETO = "veto", "达到否决线"

    measure = models.CharField("指标", max_length=20)
    level = models.CharField("程度", max_length=10, choices=Level.choices)
    count = models.PositiveIntegerField("数量", default=0)
    sent_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "单项否决预警"
        verbose_name_plural = "单项否决预警"
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.measure} {self.get_level_display()}（{self.count}）"


# ---------------------------------------------------------------------------------------------
# 双百考核 website part (R-ASSESS-2, 第二十一、二十二条)


class RuleSet(ClusterableModel):
    """考核细则: weighted rules, used for every month from ``effective_from`` until the next rule
    set starts; the weights add up to the full score."""

    name = models.CharField("名称", max_length=100)
    effective_from = models.DateField(
        "起用月份", unique=True, help_text="从该月起按此细则考核（取该月 1 日）。"
    )
    full_marks = models.DecimalField("满分", max_digits=5, decimal_places=1, default=100)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "考核细则"
        verbose_name_plural = "考核细则"
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.name}（{self.effective_from:%Y年%m月}起）"


class ScoreRule(Orderable):
    """One item of a rule set: what is measured, its weight, and how much each occurrence
    deducts (or, for 信息采用, how many score points one adoption point is worth)."""

    class Measure(models.TextChoices):
        FRESHNESS = "freshness", "栏目更新"
        QUOTA = "quota", "信息报送"
        ADOPTION = "adoption", "信息采用"
        SCREENING_RETURNS = "screening_returns", "审查退回"
        SERIOUS_ERRORS = "serious_errors", "严重差错"
        LETTERS = "letters", "来信按时办理"
        CORRECTIONS = "corrections", "纠错按时办理"

    rule_set = ParentalKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    measure = models.CharField("考核项目", max_length=30, choices=Measure.choices)
    weight = models.DecimalField("分值", max_digits=5, decimal_places=1)
    per_unit = models.DecimalField("每项扣分（采用：每积分得分）", max_digits=5, decimal_places=2)

    class Meta(Orderable.Meta):
        verbose_name = "考核项目"
        verbose_name_plural = "考核项目"
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "measure"], name="one_rule_per_measure")
        ]

    def __str__(self):
        return f"{self.get_measure_display()}（{self.weight} 分）"


class ClosedMonth(models.Model):
    """A month 综合科 closed: its scores are frozen in ``MonthScore`` as the 通报 published them."""

    month = models.DateField("月份", unique=True, help_text="该月 1 日。")
    rule_set = models.ForeignKey(
        RuleSet, verbose_name="考核细则", on_delete=models.PROTECT, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="关账人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField("关账时间", default=timezone.now)

    class Meta:
        verbose_name = "已关账月份"
        verbose_name_plural = "已关账月份"
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y年%m月}"


class MonthScore(models.Model):
    """One section's frozen score for a closed month, with its itemised deductions and the
    figures it was computed from (报送数, 采用数, 积分 …) as JSON."""

    closed_month = models.ForeignKey(ClosedMonth, on_delete=models.CASCADE, related_name="scores")
    section = models.ForeignKey(Section, verbose_name="科室", on_delete=models.PROTECT)
    total = models.DecimalField("得分", max_digits=6, decimal_places=2)
    rank = models.PositiveSmallIntegerField("名次")
    lines = models.JSONField("扣分明细", default=list)
    figures = models.JSONField("数据", default=dict)

    class Meta:
        verbose_name = "月度得分"
        verbose_name_plural = "月度得分"
        ordering = ["closed_month", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["closed_month", "section"], name="one_score_per_section_month"
            )
        ]

    def __str__(self):
        return f"{self.section} {self.closed_month}：{self.total}"
