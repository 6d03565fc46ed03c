"""信息报送 (第十六条; SPEC R-INFO-1..3): every section reports its dynamic information to 综合科
at least once a month; its own 科长 approves an item before it leaves the section; 综合科 adopts
(采用) it into 工作动态 through its own review chain, or returns it with a reason. Other outlets
(区信息刊物, 市/省/国办刊物 …) and leaders' instructions (领导批示) add points (第二十二条: the
信息 part of the 双百考核).

The kinds of item, the outlets, the instruction levels, their points and the quotas are data
综合科 maintains; every step an item takes is kept as an ``ItemStep``, like the review record.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable

from govsite.columns.blocks import BodyBlock
from govsite.columns.models import ArticlePage
from govsite.sections.models import Section


class ItemKind(models.Model):
    """信息类别: 重点工作, 创新措施, 阶段性进展, 工作成绩 (第十六条) — data 综合科 maintains."""

    name = models.CharField("类别", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "信息类别"
        verbose_name_plural = "信息类别"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class Outlet(models.Model):
    """采用渠道: where an item was adopted, and the points each adoption earns (本站 1, 区信息刊物
    3–5, 市 10–20, 省 20–50, 国办 50–100 in the office's 办法). ``own_site`` marks 本站工作动态,
    recorded by the system when the adopted copy is published."""

    name = models.CharField("采用渠道", max_length=50, unique=True)
    points = models.DecimalField("每条积分", max_digits=6, decimal_places=1)
    own_site = models.BooleanField(
        "本站工作动态", default=False, help_text="综合科采用并在本站发布时由系统自动记录。"
    )
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "采用渠道"
        verbose_name_plural = "采用渠道"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class InstructionLevel(models.Model):
    """领导批示的级别 (区、市、省、国家领导) and the bonus points an instruction earns."""

    name = models.CharField("批示级别", max_length=50, unique=True)
    points = models.DecimalField("加分", max_digits=6, decimal_places=1)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "批示级别"
        verbose_name_plural = "批示级别"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


@register_setting(icon="doc-full")
class ReportingSettings(BaseGenericSetting):
    """信息报送的规则 (R-INFO-1, R-INFO-3): the monthly quota, the reminder day, how points add
    up, and where adopted items are published."""

    monthly_quota = models.PositiveSmallIntegerField(
        "每月最少报送条数",
        default=1,
        validators=[MinValueValidator(1)],
        help_text="各科室每月至少报送的动态信息条数（第十六条）；可按科室另行设置。",
    )
    reminder_day = models.PositiveSmallIntegerField(
        "提醒日",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="每月这一天，本月尚未报送够数的科室的信息员和科长收到提醒（站内通知和邮件）。",
    )
    outlets_add_up = models.BooleanField(
        "多渠道采用积分累加",
        default=True,
        help_text="勾选：同一条信息被多个渠道采用，积分相加；不勾选：只计最高的一项。",
    )
    adoption_column = models.ForeignKey(
        "columns.SubColumnPage",
        verbose_name="采用后发布到",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="综合科采用的信息在此栏目（默认“工作动态”）经审核后发布。",
    )

    class Meta:
        verbose_name = "信息报送设置"

    def clean(self):
        """The adopted item is published as an article: the column must take articles (a 公文栏目
        takes 政府信息公开文件 only)."""
        super().clean()
        column = self.adoption_column
        if column is not None and ArticlePage not in column.specific_class.allowed_subpage_models():
            raise ValidationError(
                {
                    "adoption_column": f"「{column.title}」不能新建文章，采用的信息不能发布到这里；"
                    "请选择可以新建文章的栏目，如“工作动态”。"
                }
            )


class SectionQuota(models.Model):
    """A section's own monthly quota, where it differs from ``ReportingSettings.monthly_quota``."""

    section = models.OneToOneField(
        Section, verbose_name="科室", on_delete=models.CASCADE, related_name="reporting_quota"
    )
    monthly_quota = models.PositiveSmallIntegerField(
        "每月最少报送条数", validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = "科室报送定额"
        verbose_name_plural = "科室报送定额"

    def __str__(self):
        return f"{self.section}：每月 {self.monthly_quota} 条"


class ItemQuerySet(models.QuerySet):
    def of_sections(self, sections):
        return self.filter(section__in=sections)

    def sent_between(self, start, end):
        """Items that left their section (科长审核通过，报送综合科) in [start, end)."""
        return self.filter(sent_at__gte=start, sent_at__lt=end)

    def drafts(self):
        return self.filter(status=Item.Status.DRAFT)

    def awaiting_chief(self):
        return self.filter(status=Item.Status.AWAITING_CHIEF)

    def awaiting_office(self):
        return self.filter(status=Item.Status.AWAITING_OFFICE)

    def returned(self):
        return self.filter(status=Item.Status.RETURNED)

    def adopted(self):
        return self.filter(status=Item.Status.ADOPTED)

    def sent(self):
        """Items that reached 综合科, whatever became of them."""
        return self.filter(sent_at__isnull=False)

    def awaiting_approval_by(self, user):
        """待我审核的信息: items waiting for the chief of their section, not written by ``user``
        (第十六条: a chief never approves their own item)."""
        return self.awaiting_chief().filter(section__chief_group__user=user).exclude(author=user)

    def returned_to(self, user):
        """退回给我的信息: items ``user`` wrote that their chief or 综合科 returned."""
        return self.returned().filter(author=user)


class Item(ClusterableModel):
    """动态信息: one item a section reports (第十六条). Counted in the month it is sent
    (``sent_at``: its chief approved it and it left the section)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        AWAITING_CHIEF = "awaiting_chief", "待科长审核"
        AWAITING_OFFICE = "awaiting_office", "待综合科采用"
        RETURNED = "returned", "已退回"
        ADOPTED = "adopted", "已采用"

    section = models.ForeignKey(
        Section, verbose_name="报送科室", on_delete=models.PROTECT, related_name="reported_items"
    )
    kind = models.ForeignKey(
        ItemKind, verbose_name="信息类别", on_delete=models.PROTECT, related_name="items"
    )
    title = models.CharField("标题", max_length=200)
    body = StreamField(BodyBlock(), verbose_name="正文", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撰稿人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    submitted_at = models.DateTimeField("提交科长审核时间", null=True, blank=True)
    sent_at = models.DateTimeField("报送时间", null=True, blank=True)
    decided_at = models.DateTimeField("采用或退回时间", null=True, blank=True)
    adopted_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="采用稿",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "动态信息"
        verbose_name_plural = "动态信息"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["section", "sent_at"], name="item_section_sent"),
            models.Index(fields=["sent_at"], name="item_sent"),
        ]

    def __str__(self):
        return self.title


class ItemAttachment(Orderable):
    item = ParentalKey(Item, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(
        "附件名称", max_length=200, blank=True, help_text="留空则使用文件标题。"
    )

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"

    @property
    def display_title(self):
        return self.title or self.document.title


class ItemStep(models.Model):
    """报送记录: who did what to an item, when, with what comment (R-INFO-1), like the review
    record of pages."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交科长审核"
        WITHDRAW = "withdraw", "撤回"
        APPROVE = "approve", "科长审核通过，报送综合科"
        RETURN = "return", "科长退回修改"
        ADOPT = "adopt", "综合科采用"
        RETURN_OFFICE = "return_office", "综合科退回"
        PUBLISH = "publish", "采用稿已发布"
        OUTLET = "outlet", "记录采用渠道"
        INSTRUCTION = "instruction", "记录领导批示"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now)
    comment = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "报送记录"
        verbose_name_plural = "报送记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()}：{self.item}"


class OutletAdoption(models.Model):
    """An item adopted by one outlet (本站, 区信息刊物 …), on a day: its points count once per
    outlet (``ReportingSettings.outlets_add_up``)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="outlet_adoptions")
    outlet = models.ForeignKey(
        Outlet, verbose_name="采用渠道", on_delete=models.PROTECT, related_name="adoptions"
    )
    adopted_on = models.DateField("采用日期")
    note = models.CharField("刊物期数或说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "采用记录"
        verbose_name_plural = "采用记录"
        ordering = ["adopted_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "outlet"], name="item_adopted_once_per_outlet")
        ]

    def __str__(self):
        return f"{self.outlet}：{self.item}"


class LeaderInstruction(models.Model):
    """领导批示 on an item, by level (区、市、省、国家领导), with its bonus points."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="instructions")
    level = models.ForeignKey(
        InstructionLevel, verbose_name="批示级别", on_delete=models.PROTECT, related_name="+"
    )
    leader = models.CharField("批示领导", max_length=100)
    instructed_on = models.DateField("批示日期")
    text = models.TextField("批示内容", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["instructed_on", "pk"]

    def __str__(self):
        return f"{self.leader}批示：{self.item}"


class QuotaReminderQuerySet(models.QuerySet):
    def of_month(self, year, month):
        return self.filter(month=date(year, month, 1))


class QuotaReminder(models.Model):
    """A section reminded of its monthly quota (R-INFO-3; 第十六条): kept so that each section is
    reminded once a month, however often the daily task runs."""

    section = models.ForeignKey(
        Section, verbose_name="科室", on_delete=models.CASCADE, related_name="quota_reminders"
    )
    month = models.DateField("月份", help_text="该月的第一天。")
    sent = models.PositiveSmallIntegerField("提醒时已报送")
    quota = models.PositiveSmallIntegerField("定额")
    reminded_at = models.DateTimeField("提醒时间", default=timezone.now)

    objects = QuotaReminderQuerySet.as_manager()

    class Meta:
        verbose_name = "报送提醒"
        verbose_name_plural = "报送提醒"
        ordering = ["-month", "section"]
        constraints = [
            models.UniqueConstraint(fields=["section", "month"], name="reminded_once_a_month")
        ]

    def __str__(self):
        return f"{self.section}：{self.month:%Y年%m月}提醒"
