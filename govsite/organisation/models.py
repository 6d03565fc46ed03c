"""机构概况: 领导简介 as leader cards and 机构职能 as structured sections (第九、十条; SPEC §7).

第十条 lists 机构设置、职责及联系方式 among what the office discloses. On the 政务公开 column,
综合科 keeps two relatively fixed sub-columns (site_tree.toml): 领导简介, whose public page shows
the leaders as cards (photo, name, post, 分工) in the order 综合科 sets in the explorer, each
card linking the leader's own page; and 机构职能, whose page states 主要职责, 内设机构 and
联系方式 as sections with anchors, printable.

Both page types are kinds of 简介页 (``columns.ProfilePage``): what a profile is — content of its
owning section, screened and published through the review chain, found by the site search —
they are too; ``body`` is a leader's 简历 and the office's 主要职责.
"""

from django import forms
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from govsite.columns.models import ProfilePage, SubColumnPage, published_items
from govsite.images.models import GovRendition
from govsite.phones import validate_phone, validate_postcode
from govsite.sections.models import Section

from . import rules


class LeaderColumnPage(SubColumnPage):
    """领导简介栏目 (第十条 机构设置): the leaders as cards, in the order 综合科 gives their pages
    in the explorer (「排序」); it holds leader pages only."""

    subpage_types = ["organisation.LeaderPage"]
    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)

    class Meta:
        verbose_name = "领导简介栏目"

    def leaders(self):
        """The live leaders in the explorer's order, with what their cards show."""
        return rules.leaders_in_order(LeaderPage.objects.child_of(self), GovRendition)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["leaders"] = self.leaders()
        # Anything else a database built before this column type left here (an article).
        context["items"] = self.paginate(request, published_items(self).not_type(LeaderPage))
        return context


class LeaderPage(ProfilePage):
    """领导简介 (第十条): one leader's 姓名 (the title), 职务, 分工 and 分管科室, a photo — a
    图片 like any other, so 第十七条's rule applies (4:3 JPG, ≤ 500×375, 文字说明) — and a short
    简历 (``body``)."""

    post = models.CharField(
        "职务", max_length=100, help_text="如“区政府办公室党组书记、主任”。显示在卡片的姓名下方。"
    )
    duties = models.TextField(
        "分工",
        help_text="负责的工作，如“负责政务公开、政府网站管理和政务信息报送工作”。显示在卡片上。",
    )
    supervised_sections = ParentalManyToManyField(
        Section,
        verbose_name="分管科室",
        blank=True,
        related_name="+",
        help_text="分管的科室，卡片上显示为“分管综合科、督查室”。",
    )
    photo = models.ForeignKey(
        "images.GovImage",
        verbose_name="照片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="须符合第十七条：JPG 格式、宽高比 4:3、不超过 500×375 像素，并附文字说明。"
        "竖拍的证件照上传后会被拒收，同时提供以头部为中心裁剪的符合规范版本；"
        "也可以在图片的编辑页面设置焦点。",
    )

    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)
    parent_page_types = ["organisation.LeaderColumnPage"]
    subpage_types = []

    content_panels = [
        FieldPanel("title", heading="姓名"),
        FieldPanel("post"),
        FieldPanel("duties"),
        FieldPanel("supervised_sections", widget=forms.CheckboxSelectMultiple),
        FieldPanel("photo"),
        HelpPanel(
            content="领导在“领导简介”页面上的先后顺序由网站管理员在栏目的子页面列表中点“排序”调整。"
        ),
        FieldPanel("classification"),
        FieldPanel("body", heading="简历"),
    ]
    search_fields = [
        *ProfilePage.search_fields,
        index.SearchField("post"),
        index.SearchField("duties"),
    ]

    class Meta:
        verbose_name = "领导简介"

    def screening_texts(self):
        """(label, text) of what the page publishes besides the title and body."""
        yield "职务", self.post
        yield "分工", self.duties
        if self.photo_id and self.photo:
            yield "照片文字说明", self.photo.caption

    @property
    def supervision_wording(self):
        return rules.supervision_wording(self.supervised_sections.all())


class FunctionsColumnPage(SubColumnPage):
    """机构职能栏目 (第十条 职责及联系方式): shows its 机构职能 page's sections in place."""

    subpage_types = ["organisation.FunctionsPage"]
    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)

    class Meta:
        verbose_name = "机构职能栏目"


class FunctionsPage(ProfilePage):
    """机构职能 (第十条): 主要职责 (``body``), 内设机构 (name, 职责, 电话 each) and 联系方式
    (地址, 邮编, 电话, 传真, 办公时间, 电子邮箱), numbers and postcode validated
    (``govsite.phones``)."""

    address = models.CharField("地址", max_length=200, blank=True, help_text="办公地址。")
    postcode = models.CharField(
        "邮政编码", max_length=6, blank=True, validators=[validate_postcode], help_text="6位数字。"
    )
    phone = models.CharField(
        "联系电话",
        max_length=100,
        blank=True,
        validators=[validate_phone],
        help_text="如“0571-12345678”；多个号码用“、”分隔。",
    )
    fax = models.CharField(
        "传真",
        max_length=100,
        blank=True,
        validators=[validate_phone],
        help_text="如“0571-12345679”。",
    )
    office_hours = models.CharField(
        "办公时间",
        max_length=200,
        blank=True,
        help_text="如“工作日 上午8:30—12:00，下午14:00—17:30（法定节假日除外）”。",
    )
    email = models.EmailField("电子邮箱", blank=True, help_text="对外公开的电子邮箱地址。")

    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)
    parent_page_types = ["organisation.FunctionsColumnPage"]
    subpage_types = []

    content_panels = [
        FieldPanel("title"),
        FieldPanel("classification"),
        FieldPanel("body", heading="主要职责"),
        InlinePanel("units", label="内设机构", heading="内设机构"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("email")]),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("fax")]),
                FieldPanel("office_hours"),
            ],
            heading="联系方式",
        ),
    ]
    search_fields = [*ProfilePage.search_fields, index.SearchField("address")]

    class Meta:
        verbose_name = "机构职能"

    def unit_list(self):
        """内设机构 in their order (one query)."""
        return self.units.all()

    @property
    def has_contact(self):
        return any(
            [self.address, self.postcode, self.phone, self.fax, self.office_hours, self.email]
        )

    def screening_texts(self):
        """(label, text) of what the page publishes besides the title and body."""
        for unit in self.units.all():
            yield "内设机构", f"{unit.name} {unit.duties} {unit.phone}"
        yield "地址", self.address
        yield "联系电话", self.phone
        yield "传真", self.fax
        yield "办公时间", self.office_hours
        yield "电子邮箱", self.email


class InternalUnit(Orderable):
    """内设机构 (第十条 机构设置): one unit of the office, with its 职责 and 电话, in the order
    given (as the 三定 plan lists them)."""

    page = ParentalKey(FunctionsPage, on_delete=models.CASCADE, related_name="units")
    name = models.CharField("名称", max_length=100, help_text="如“综合科”。")
    duties = models.TextField("职责", help_text="该机构的主要职责，一两句话。")
    phone = models.CharField(
        "电话",
        max_length=100,
        blank=True,
        validators=[validate_phone],
        help_text="如“0571-12345678”；多个号码用“、”分隔。",
    )

    panels = [FieldPanel("name"), FieldPanel("duties"), FieldPanel("phone")]

    class Meta(Orderable.Meta):
        verbose_name = "内设机构"
        verbose_name_plural = "内设机构"
