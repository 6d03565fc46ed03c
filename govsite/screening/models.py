"""What the screening engine looks for, kept as data that 综合科 maintains in the admin.

- ``ProhibitedCategory``: the nine items of 第十九条, each with the article's wording.
- ``ProhibitedTerm``: the lexicon of prohibited content, each term in one category (R-SCREEN-1).
- ``ClassificationMark``: marks that show a text is classified or internal (R-SCREEN-2).
- ``SeriousError``: wrong → right pairs of serious errors (严重错别字, R-SCREEN-3).

Every change is a revision with its author and time (Wagtail's history and comparison) and
bumps ``LexiconVersion``, which every process compares before screening, so the next screening
uses the new lexicon without a restart.
"""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import RevisionMixin

from govsite.stamps import DataVersion

MAX_TERM_LENGTH = 100


class ProhibitedCategory(models.Model):
    """第十九条: 网站信息不得包含下列内容 — one record per item, numbered as in the article."""

    number = models.PositiveSmallIntegerField("条目", unique=True)
    name = models.CharField("类别", max_length=50)
    wording = models.TextField("条文")

    class Meta:
        verbose_name = "禁止内容类别"
        verbose_name_plural = "禁止内容类别"
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"


class EntryQuerySet(models.QuerySet):
    def enabled(self):
        return self.filter(enabled=True)


class LexiconEntry(RevisionMixin, models.Model):
    """What every maintained entry has: an on/off switch, a note and its revisions."""

    enabled = models.BooleanField("启用", default=True, help_text="停用的条目不参与审查。")
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        LexiconVersion.bump()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        LexiconVersion.bump()
        return result

    @property
    def enabled_label(self):
        return "是" if self.enabled else "否"


def _strip(value):
    return (value or "").strip()


class ProhibitedTerm(LexiconEntry):
    """R-SCREEN-1 (第十九条): a word or phrase that may not appear in published information."""

    category = models.ForeignKey(
        ProhibitedCategory, verbose_name="类别", on_delete=models.PROTECT, related_name="terms"
    )
    text = models.CharField("词语", max_length=MAX_TERM_LENGTH, unique=True)

    panels = [FieldPanel("category"), FieldPanel("text"), FieldPanel("enabled"), FieldPanel("note")]

    class Meta:
        verbose_name = "禁止内容词语"
        verbose_name_plural = "禁止内容词库"
        ordering = ["category__number", "text"]

    def __str__(self):
        return self.text

    @property
    def category_number(self):
        return self.category.number

    def clean(self):
        self.text = _strip(self.text)


class ClassificationMark(LexiconEntry):
    """R-SCREEN-2 上网不涉密，涉密不上网: a mark such as “秘密★” or “内部资料”."""

    text = models.CharField("标识", max_length=50, unique=True)

    panels = [FieldPanel("text"), FieldPanel("enabled"), FieldPanel("note")]

    class Meta:
        verbose_name = "涉密标识"
        verbose_name_plural = "涉密标识"
        ordering = ["text"]

    def __str__(self):
        return self.text

    def clean(self):
        self.text = _strip(self.text)


class SeriousError(LexiconEntry):
    """R-SCREEN-3 严重错别字: a wrong form that blocks publication until the right one is used.

    Where the right form contains the wrong one (王立 → 王立新), text already in the right
    form is not reported.
    """

    class Kind(models.TextChoices):
        LEADER = "leader", "领导姓名职务"
        ORGANISATION = "organisation", "机构名称"
        COMMON = "common", "常见错误"

    wrong = models.CharField("错误写法", max_length=MAX_TERM_LENGTH, unique=True)
    right = models.CharField("正确写法", max_length=MAX_TERM_LENGTH)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.COMMON)

    panels = [
        FieldPanel("kind"),
        FieldPanel("wrong"),
        FieldPanel("right"),
        FieldPanel("enabled"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = "严重错别字"
        verbose_name_plural = "严重错别字"
        ordering = ["kind", "wrong"]

    def __str__(self):
        return f"{self.wrong} → {self.right}"

    @property
    def kind_label(self):
        return self.get_kind_display()

    def clean(self):
        self.wrong, self.right = _strip(self.wrong), _strip(self.right)
        if self.wrong and self.wrong == self.right:
            raise ValidationError({"right": "正确写法不能与错误写法相同。"})


class LexiconVersion(DataVersion):
    """The lexicon's version: every process compares it before screening (R-SCREEN-1)."""

    class Meta:
        verbose_name = "词库版本"


@register_setting(icon="warning")
class ScreeningSettings(BaseGenericSetting):
    """R-SCREEN-4 thresholds of the non-blocking quality warnings."""

    title_max_length = models.PositiveSmallIntegerField(
        "标题最多字数", default=40, help_text="标题超过此字数时提示（不阻止提交）。"
    )

    class Meta:
        verbose_name = "审查设置"


class RescreenRunQuerySet(models.QuerySet):
    def finished(self):
        return self.filter(finished_at__isnull=False)


class RescreenRun(models.Model):
    """One re-screening of all published content after the lexicon changed (R-SCREEN-1):
    what was checked against which lexicon, and every published page that now fails."""

    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    lexicon_stamp = models.UUIDField("词库版本", null=True, blank=True)
    pages_checked = models.PositiveIntegerField("检查条数", default=0)
    # The last page screened, in page order: a run whose worker was killed goes on from here.
    checked_up_to = models.PositiveIntegerField("已检查至页面ID", default=0)
    # [{"page": id, "title": ..., "section": ..., "findings": [describe(), ...]}, ...]
    flagged = models.JSONField("发现问题的信息", default=list, blank=True)

    objects = RescreenRunQuerySet.as_manager()

    class Meta:
        verbose_name = "已发布信息复查"
        verbose_name_plural = "已发布信息复查"
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} 复查"
