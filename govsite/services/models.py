"""办事服务: structured service guides (办事指南) in the 业务指南 column (R-SERVICE-1, 第九条).

A guide states the key elements citizens and inspectors look for — 事项名称, 设定依据, 申请条件,
办理材料, 办理地点, 办理时间, 办理流程, 收费标准, 办理时限, 咨询电话, 监督投诉电话 — as fields of
their own. A draft may be saved with elements still empty; the automatic screening step of the
review chain returns it naming each missing element (``rules.missing_elements``).
"""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from govsite.columns.blocks import TEXT_FEATURES
from govsite.columns.models import ContentPage, SubColumnPage, published_items
from govsite.phones import validate_phone
from govsite.screening.engine import plain_text

from . import rules
from .blocks import BasisStream, StepStream


class MatterType(models.TextChoices):
    """事项类型, as the 政务服务 guides classify a matter."""

    PUBLIC_SERVICE = "public_service", "公共服务"
    LICENCE = "licence", "行政许可"
    CONFIRMATION = "confirmation", "行政确认"
    OTHER = "other", "其他"


class FeeKind(models.TextChoices):
    FREE = rules.FREE, "不收费"
    CHARGED = rules.CHARGED, "收费"


class GuideColumnPage(SubColumnPage):
    """办事指南栏目 (第九条 网上办事服务): a 业务指南 sub-column whose guides are listed with
    their 办理时限 and 收费; it may also hold ordinary articles and profiles."""

    subpage_types = ["services.ServiceGuidePage", "columns.ArticlePage", "columns.ProfilePage"]
    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)

    class Meta:
        verbose_name = "办事指南栏目"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Every guide of the sub-column in tree order (a sub-column holds a few dozen at most),
        # then its other articles and profiles, a page at a time.
        context["guides"] = ServiceGuidePage.objects.child_of(self).live().order_by("path")
        context["items"] = self.paginate(request, published_items(self).not_type(ServiceGuidePage))
        return context


HOME_GUIDES = 6


def latest_guides(home, count=HOME_GUIDES):
    """办事指南 on the homepage (R-SITE-1): the ``count`` guides published last."""
    guides = ServiceGuidePage.objects.live().descendant_of(home)
    return list(guides.order_by("-first_published_at", "-pk")[:count])


class ServiceGuidePage(ContentPage):
    """办事指南 (R-SERVICE-1, 第九条): one matter's key elements, each a field of its own;
    ``body`` holds the 补充说明."""

    matter_type = models.CharField(
        "事项类型",
        max_length=20,
        choices=MatterType.choices,
        default=MatterType.PUBLIC_SERVICE,
    )
    basis = StreamField(
        BasisStream(),
        verbose_name="设定依据",
        blank=True,
        help_text="逐条列出法律法规或规范性文件的名称和条款。",
    )
    conditions = RichTextField(
        "申请条件", blank=True, features=TEXT_FEATURES, help_text="谁可以申请、需要满足哪些条件。"
    )
    place = models.TextField(
        "办理地点", blank=True, help_text="写明地址和窗口，如“临江区行政服务中心二楼12号窗口”。"
    )
    hours = models.CharField(
        "办理时间",
        max_length=200,
        blank=True,
        help_text="如“工作日 上午8:30—12:00，下午14:00—17:30”。",
    )
    covers_holidays = models.BooleanField(
        "法定节假日办理",
        default=False,
        help_text="勾选表示法定节假日照常办理；不勾选时页面显示“法定节假日除外”。",
    )
    steps = StreamField(
        StepStream(), verbose_name="办理流程", blank=True, help_text="按先后顺序逐步填写。"
    )
    fee_kind = models.CharField(
        "是否收费", max_length=10, choices=FeeKind.choices, default=FeeKind.FREE
    )
    fee_standard = models.TextField(
        "收费标准", blank=True, help_text="收费的须写明标准和依据；不收费的留空，页面显示“不收费”。"
    )
    legal_days = models.PositiveSmallIntegerField(
        "法定办结时限（工作日）",
        null=True,
        blank=True,
        help_text="法律法规规定的办理期限，按工作日计。",
    )
    promised_days = models.PositiveSmallIntegerField(
        "承诺办结时限（工作日）",
        null=True,
        blank=True,
        help_text="本单位承诺的办理期限，不能超过法定时限；0 表示即办。",
    )
    consult_phone = models.CharField(
        "咨询电话",
        max_length=100,
        blank=True,
        validators=[validate_phone],
        help_text="如“0571-12345678”；多个号码用“、”分隔。",
    )
    complaint_phone = models.CharField(
        "监督投诉电话",
        max_length=100,
        blank=True,
        validators=[validate_phone],
        help_text="如“0571-12345679”或“12345”；多个号码用“、”分隔。",
    )
    online_url = models.URLField(
        "网上办理地址", blank=True, help_text="可以在网上办理的，填写办理页面的网址。"
    )

    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)
    parent_page_types = ["services.GuideColumnPage"]
    subpage_types = []

    content_panels = [
        FieldPanel("title", heading="事项名称"),
        FieldPanel("matter_type"),
        HelpPanel(
            content="带“要素”的各项都要填写：草稿可以分步保存，但缺少任何一项时，提交审核会被"
            "自动审查退回并说明缺少哪一项。"
        ),
        FieldPanel("classification"),
        FieldPanel("basis"),
        FieldPanel("conditions"),
        InlinePanel("materials", label="办理材料", heading="办理材料"),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("hours"), FieldPanel("covers_holidays")],
            heading="办理地点和时间",
        ),
        FieldPanel("steps"),
        MultiFieldPanel([FieldPanel("fee_kind"), FieldPanel("fee_standard")], heading="收费标准"),
        FieldRowPanel([FieldPanel("legal_days"), FieldPanel("promised_days")], heading="办理时限"),
        FieldRowPanel(
            [FieldPanel("consult_phone"), FieldPanel("complaint_phone")], heading="联系电话"
        ),
        FieldPanel("online_url"),
        FieldPanel("body", heading="补充说明"),
    ]
    # The site search finds a guide by its 事项名称 (the title) and the text of its key elements;
    # the materials are indexed with the guide and read again when it is published (their rows
    # are saved after the page's: govsite/search/signal_handlers.py).
    search_fields = [
        *ContentPage.search_fields,
        index.SearchField("basis"),
        index.SearchField("conditions"),
        index.RelatedFields("materials", [index.SearchField("name"), index.SearchField("note")]),
        index.SearchField("place"),
        index.SearchField("hours"),
        index.SearchField("steps"),
        index.SearchField("fee_standard"),
    ]

    class Meta:
        verbose_name = "办事指南"

    def clean(self):
        super().clean()
        rules.check_time_limits(self.legal_days, self.promised_days)
        rules.check_fee(self.fee_kind, self.fee_standard)

    # Screening (govsite/screening/engine.py screen_page) -------------------------------------

    def missing_elements(self):
        """R-SERVICE-1: (element, rule) for each key element left empty (要素缺失)."""
        return rules.missing_elements(self)

    def screening_texts(self):
        """(label, text) of every element the page publishes besides the title and body."""
        for block in self.basis:
            yield "设定依据", f"{block.value['law']} {block.value['article']}"
        yield "申请条件", plain_text(self.conditions)
        for material in self.materials.all():
            yield "办理材料", f"{material.name} {material.note}"
        yield "办理地点", self.place
        yield "办理时间", self.hours
        for block in self.steps:
            yield "办理流程", f"{block.value['name']} {block.value['description']}"
        yield "收费标准", self.fee_standard
        yield "咨询电话", self.consult_phone
        yield "监督投诉电话", self.complaint_phone

    # The public page ------------------------------------------------------------------------

    @property
    def fee_wording(self):
        return rules.fee_wording(self.fee_kind, self.fee_standard)

    @property
    def holiday_wording(self):
        return rules.holiday_wording(self.covers_holidays)

    @property
    def legal_wording(self):
        return rules.time_limit_wording(self.legal_days)

    @property
    def promised_wording(self):
        return rules.time_limit_wording(self.promised_days)

    @property
    def has_notes(self):
        """Whether 补充说明 (``body``) says anything: a new page starts with one empty block."""
        return any(
            block.block_type != "paragraph" or plain_text(block.value.source).strip()
            for block in self.body
        )

    def material_list(self):
        """The materials with their forms, in their order (one query)."""
        return self.materials.select_related("document")


class Original(models.TextChoices):
    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    BOTH = "both", "原件和复印件"
    ELECTRONIC = "electronic", "电子文档"


class Necessity(models.TextChoices):
    REQUIRED = "required", "必要"
    DEFERRABLE = "deferrable", "容缺（可后补）"


class GuideMaterial(Orderable):
    """办理材料: one document the applicant brings, with a blank form or sample to download."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField("材料名称", max_length=200)
    copies = models.PositiveSmallIntegerField("份数", default=1)
    original = models.CharField(
        "原件/复印件", max_length=20, choices=Original.choices, default=Original.ORIGINAL
    )
    necessity = models.CharField(
        "必要/容缺",
        max_length=20,
        choices=Necessity.choices,
        default=Necessity.REQUIRED,
        help_text="容缺：缺少时可以先受理，申请人在规定期限内补交。",
    )
    note = models.CharField("说明", max_length=300, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="空白表格或示范文本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="可选：上传供申请人下载的空白表格或填写示范。",
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("copies"), FieldPanel("original"), FieldPanel("necessity")]),
        FieldPanel("note"),
        FieldPanel("document"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "办理材料"
        verbose_name_plural = "办理材料"
