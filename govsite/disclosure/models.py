"""政务公开 metadata (R-OPEN-1, 《政府信息公开条例》第十条): the columns that hold official
documents, the documents with their 索引号, 发文字号, 成文日期, 主题分类, 体裁 and 有效性, and the
shared data they are classified by (主题分类, 体裁, 政务公开设置).

A document is an article (multi-table inheritance): every listing, the screening, the search and
the review chain treat it as one; its metadata lives on the page, so a change of 有效性 is a new
revision reviewed like any edit.
"""

import operator
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from govsite.columns import neighbours
from govsite.columns.models import ArticlePage, SubColumnPage

from . import rules

# 相关信息 by 关键词: the first keywords of a document compared, and how many later documents
# sharing one are purged when it changes (the nearest first; their 相关信息 shows at most five).
KEYWORDS_COMPARED = 5
KEYWORD_LINKED_PURGED = 200


class CatalogueCategory(models.TextChoices):
    """第十条: the six categories of the 政务公开目录."""

    LAWS = "laws", "法律法规和政策依据"
    ORGANISATION = "organisation", "机构设置、职责及联系方式"
    PROCEDURES = "procedures", "业务工作程序和标准"
    NOTICES = "notices", "公告、公示、通知"
    COMPLAINTS = "complaints", "投诉信箱"
    OTHER = "other", "其他政务信息"


class DisclosureMode(models.TextChoices):
    """公开方式 (《政府信息公开条例》第十九、二十七条)."""

    ACTIVE = "active", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"


class Validity(models.TextChoices):
    """有效性 of a document (R-OPEN-1): a document no longer in force says so on its own page."""

    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"
    AMENDED = "amended", "已修订"


# The date a validity took effect, as the public page and the error messages name it.
VALIDITY_DATE_LABEL = {
    Validity.EXPIRED: "失效日期",
    Validity.REPEALED: "废止日期",
    Validity.AMENDED: "修订日期",
}


class TopicCategoryQuerySet(models.QuerySet):
    def top(self):
        return self.filter(parent__isnull=True)

    def second_level(self):
        return self.filter(parent__isnull=False)


class TopicCategoryManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class TopicCategory(models.Model):
    """主题分类 (R-OPEN-1): the two levels of the 国务院公文主题分类, shipped as data
    (data/topics.toml) and kept by 综合科. A document is classed under a second-level item."""

    name = models.CharField("名称", max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        help_text="留空为一级分类；文件只能归入二级分类。",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    # Read with the parent: a second-level item names its top category (``__str__``), and the
    # editor's list of 100-odd items must not cost a query each.
    objects = TopicCategoryManager.from_queryset(TopicCategoryQuerySet)()

    class Meta:
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="disclosure_topic_unique_name_in_parent"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(parent__isnull=True),
                name="disclosure_topic_unique_top_name",
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self):
        super().clean()
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": "主题分类只有两级：上级分类必须是一级分类。"})
        if self.parent_id and self.pk and self.children.exists():
            raise ValidationError({"parent": "该分类下还有二级分类，不能再归入其他分类。"})


class Genre(models.Model):
    """体裁: the 15 公文种类 of 《党政机关公文处理工作条例》第八条, plus 其他 / 图解 / 数据 /
    解读."""

    name = models.CharField("名称", max_length=20, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "体裁"
        verbose_name_plural = "体裁"
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


def default_credit_code():
    """A well-formed placeholder until the office enters its own 统一社会信用代码."""
    first17 = "11330100MB0000000"
    return first17 + rules.credit_code_check_char(first17)


@register_setting(icon="doc-full")
class DisclosureSettings(BaseGenericSetting):
    """政务公开设置 (R-OPEN-1): the office's 统一社会信用代码, its name as 发布机构, and the
    rule the 索引号 follows."""

    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        default=default_credit_code,
        help_text="本机关的 18 位统一社会信用代码，用于生成索引号。",
    )
    publisher = models.CharField(
        "默认发布机构",
        max_length=100,
        default="临江区人民政府办公室",
        help_text="本机关全称；新文件的“发布机构”默认填写此名称。",
    )
    index_pattern = models.CharField(
        "索引号规则",
        max_length=100,
        default=rules.DEFAULT_INDEX_PATTERN,
        help_text=rules.INDEX_PATTERN_HELP + " 修改只影响此后首次发布的文件，已分配的索引号不变。",
    )

    panels = [FieldPanel("credit_code"), FieldPanel("publisher"), FieldPanel("index_pattern")]

    class Meta:
        verbose_name = "政务公开设置"

    def clean(self):
        super().clean()
        errors = {}
        try:
            self.credit_code = rules.check_credit_code(self.credit_code)
        except ValidationError as error:
            errors["credit_code"] = error.messages
        try:
            rules.check_index_pattern(self.index_pattern)
        except ValidationError as error:
            errors["index_pattern"] = error.messages
        if errors:
            raise ValidationError(errors)


class IndexSequence(models.Model):
    """The last 索引号 sequence number given in one scope (a code and a year, and a month when
    the rule shows it). Numbers only grow: a deleted or withdrawn document keeps its number and
    nobody else ever gets it."""

    scope = models.CharField("范围", max_length=60, unique=True)
    last = models.PositiveIntegerField("已分配到", default=0)

    class Meta:
        verbose_name = "索引号序列"
        verbose_name_plural = "索引号序列"

    def __str__(self):
        return f"{self.scope}: {self.last}"


def allocate_index_number(page):
    """R-OPEN-1: the next 索引号 for ``page``, which is being published for the first time, by
    the rule of 政务公开设置 (``rules.issue_index_number``)."""
    settings = DisclosureSettings.load()
    return rules.issue_index_number(
        settings.credit_code,
        settings.index_pattern,
        page.first_published_at or timezone.now(),
        sequences=IndexSequence,
        documents=DocumentPage,
    )


class DocumentColumnPage(SubColumnPage):
    """公文栏目 (R-OPEN-1, 第十条): a sub-column whose items are official documents carrying
    disclosure metadata; its 政务公开目录 category is the default of its documents."""

    catalogue_category = models.CharField(
        "政务公开目录类别",
        max_length=20,
        choices=CatalogueCategory.choices,
        default=CatalogueCategory.OTHER,
        help_text="第十条规定的六类之一；本栏目新文件默认归入此类别。",
    )

    content_panels = [*SubColumnPage.content_panels, FieldPanel("catalogue_category")]

    # Documents only: the articles of columns built before this app became documents
    # (migration 0004_documents_only).
    subpage_types = ["disclosure.DocumentPage"]
    parent_page_types = ["columns.ColumnPage", "disclosure.PolicyLibraryPage"]
    template = "columns/sub_column_page.html"
    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)

    class Meta:
        verbose_name = "公文栏目"


class DocumentPageQuerySet(PageQuerySet):
    def in_force(self):
        return self.filter(validity=Validity.VALID)

    def interpretations(self):
        """政策解读: documents that interpret a policy."""
        return self.filter(interprets__isnull=False)


class IndexNumberPanel(Panel):
    """索引号, read only: shown once the system allocated it at first publication."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "disclosure/admin/index_number_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["index_number"] = self.instance.stored_index_number()
            return context


class DocumentPage(ArticlePage):
    """政府信息公开文件 (R-OPEN-1, 第十条): an article with the disclosure metadata the 政务公开
    目录, the policy library and an inspection read. 索引号 is allocated by the system at first
    publication (``allocate_index_number``) and never changes."""

    index_number = models.CharField(
        "索引号", max_length=100, unique=True, null=True, blank=True, editable=False
    )
    publisher = models.CharField(
        "发布机构",
        max_length=100,
        blank=True,
        help_text="发布机构全称；留空则使用政务公开设置中的本机关全称。",
    )
    document_number = models.CharField(
        "发文字号",
        max_length=50,
        blank=True,
        help_text="如“临政办发〔2026〕28号”；非公文可不填。方括号 [ ]、［］、【】会自动改为〔〕。",
    )
    written_on = models.DateField("成文日期", null=True, blank=True, help_text="不能晚于发布日期。")
    topic = models.ForeignKey(
        TopicCategory,
        verbose_name="主题分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        limit_choices_to={"parent__isnull": False},
        help_text="国务院公文主题分类的二级分类，如“综合政务 › 政务公开”。",
    )
    genre = models.ForeignKey(
        Genre,
        verbose_name="体裁",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text="公文种类，如通知、意见、决定；解读材料选“解读”。",
    )
    keywords = models.CharField(
        "关键词", max_length=200, blank=True, help_text="用空格或逗号分隔。"
    )
    summary = models.TextField("内容概述", blank=True, help_text="一两句话说明文件的主要内容。")
    disclosure_mode = models.CharField(
        "公开方式", max_length=20, choices=DisclosureMode.choices, default=DisclosureMode.ACTIVE
    )
    catalogue_category = models.CharField(
        "政务公开目录类别",
        max_length=20,
        choices=CatalogueCategory.choices,
        blank=True,
        help_text="留空则使用所在栏目的类别。",
    )
    validity = models.CharField(
        "有效性",
        max_length=20,
        choices=Validity.choices,
        default=Validity.VALID,
        help_text="文件失效、废止或被修订时修改，并填写日期；修改同样经过审核后才公开。",
    )
    validity_changed_on = models.DateField(
        "失效/废止/修订日期", null=True, blank=True, help_text="有效性不是“有效”时必填。"
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name="替代文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        help_text="取代本文件的新文件（可选），在本文件页面上链接。",
    )
    interprets = models.ForeignKey(
        "self",
        verbose_name="解读的文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpretations",
        help_text="本文是政策解读时，选择它所解读的政策文件。解读与文件同步发布：文件发布后解读才能通过审核发布。",
    )

    objects = PageManager.from_queryset(DocumentPageQuerySet)()

    metadata_panels = [
        IndexNumberPanel(heading="索引号"),
        MultiFieldPanel(
            [
                FieldPanel("publisher"),
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("written_on")]),
                FieldRowPanel([FieldPanel("topic"), FieldPanel("genre")]),
                FieldPanel("keywords"),
                FieldPanel("summary"),
                FieldRowPanel([FieldPanel("disclosure_mode"), FieldPanel("catalogue_category")]),
                FieldPanel("interprets"),
            ],
            heading="公开属性",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("validity"), FieldPanel("validity_changed_on")]),
                FieldPanel("replaced_by"),
            ],
            heading="有效性",
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(ArticlePage.content_panels, heading="内容"),
            ObjectList(metadata_panels, heading="公开属性"),
            ObjectList(ArticlePage.promote_panels, heading="推广"),
            ObjectList(ArticlePage.settings_panels, heading="设置", classname="settings"),
        ]
    )
    search_fields = [
        *ArticlePage.search_fields,
        index.SearchField("index_number"),
        index.SearchField("document_number"),
        index.SearchField("keywords"),
        index.FilterField("catalogue_category"),
        index.FilterField("validity"),
    ]
    exclude_fields_in_copy = ["index_number"]
    search_kind = "文件"  # what the site search's results call it (govsite/search/query.py)
    routed_related = ("source_section", "topic__parent", "genre", "replaced_by", "interprets")
    parent_page_types = ["disclosure.DocumentColumnPage", "disclosure.CataloguePage"]
    template = "disclosure/document_page.html"
    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)

    class Meta:
        verbose_name = "政府信息公开文件"
        indexes = [
            models.Index(fields=["catalogue_category"], name="disclosure_doc_category"),
            models.Index(fields=["publisher"], name="disclosure_doc_publisher"),
            models.Index(fields=["validity"], name="disclosure_doc_validity"),
            models.Index(fields=["written_on"], name="disclosure_doc_written_on"),
        ]

    # Metadata --------------------------------------------------------------------------------

    def stored_index_number(self):
        """The 索引号 as stored (a revision being edited may predate its allocation)."""
        if not self.pk:
            return None
        return (
            DocumentPage.objects.filter(pk=self.pk).values_list("index_number", flat=True).first()
        )

    @property
    def validity_date_label(self):
        return VALIDITY_DATE_LABEL.get(self.validity, "")

    @property
    def validity_notice(self):
        """The public page's banner for a document no longer in force: 本文件已失效 …"""
        return f"本文件已{self.get_validity_display().removeprefix('已')}"

    @property
    def in_force(self):
        return self.validity == Validity.VALID

    def publication_day(self):
        """发布日期: the system's first publication, else a scheduled one, else today."""
        moment = self.first_published_at or self.go_live_at or timezone.now()
        return timezone.localtime(moment).date()

    def clean(self):
        super().clean()
        errors = {}
        try:
            self.document_number = rules.check_document_number(self.document_number)
        except ValidationError as error:
            errors["document_number"] = error.messages
        if self.written_on and self.written_on > self.publication_day():
            errors["written_on"] = (
                f"成文日期（{self.written_on:%Y-%m-%d}）不能晚于发布日期"
                f"（{self.publication_day():%Y-%m-%d}）。"
            )
        if self.topic_id and self.topic.parent_id is None:
            errors["topic"] = "请选择二级主题分类，如“综合政务 › 政务公开”。"
        if self.validity != Validity.VALID and not self.validity_changed_on:
            errors["validity_changed_on"] = (
                f"有效性为“{self.get_validity_display()}”时，须填写{self.validity_date_label}。"
            )
        if self.validity == Validity.VALID and self.replaced_by_id:
            errors["replaced_by"] = "有效的文件不能有替代文件；文件失效、废止或已修订时再填写。"
        if self.replaced_by_id and self.pk and self.replaced_by_id == self.pk:
            errors["replaced_by"] = "替代文件不能是本文件。"
        if self.interprets_id and self.pk and self.interprets_id == self.pk:
            errors["interprets"] = "解读的文件不能是本文件。"
        elif self.interprets_id and self.interprets.interprets_id:
            errors["interprets"] = (
                f"《{self.interprets.title}》本身是一篇解读：请选择它所解读的政策文件。"
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        """A 索引号 once given is never changed; the first publication allocates it."""
        stored = self.stored_index_number()
        if stored:
            self.index_number = stored
        if not self.publisher:
            self.publisher = DisclosureSettings.load().publisher
        if not self.catalogue_category and self.depth:
            parent = self.get_parent()
            self.catalogue_category = getattr(
                parent.specific if parent else None, "catalogue_category", CatalogueCategory.OTHER
            )
        if not (self.live and not self.index_number):
            return super().save(*args, **kwargs)
        with transaction.atomic():
            self.index_number = allocate_index_number(self)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "index_number"}
            return super().save(*args, **kwargs)

    # Screening (govsite.screening.engine.page_texts) ----------------------------------------

    def screening_texts(self):
        """R-SCREEN-1..3: the published metadata is screened like the body."""
        for label, text in (
            ("发文字号", self.document_number),
            ("关键词", self.keywords),
            ("内容概述", self.summary),
            ("发布机构", self.publisher),
        ):
            if text:
                yield label, text

    def missing_elements(self):
        """R-OPEN-2: a 政策解读 whose policy is not published is returned by the automatic
        screening (``rules.unpublished_policy``), so it cannot be published before it."""
        refusal = rules.unpublished_policy(self)
        if refusal:
            yield rules.INTERPRETATION_FIELD, refusal

    # Static publishing (govsite.publishing.rules.stale_after) ---------------------------------

    def shown_on(self):
        """The pages beyond this document's own column that show it, stale when it changes:
        the 政务公开目录 (which lists every document of the site), the policy it interprets
        (which lists its 解读) and the policy library (which shows the 解读 link beside that
        policy), its own 解读 (which link it), and the documents it replaces (whose banner
        links it)."""
        related = [self.interprets_id, *self.interpretations.values_list("pk", flat=True)]
        related += self.replaces.values_list("pk", flat=True)
        libraries = PolicyLibraryPage.objects.all() if self.interprets_id else []
        return [
            *CataloguePage.objects.all(),
            *libraries,
            *DocumentPage.objects.filter(pk__in=[pk for pk in related if pk]),
        ]

    # Public page ------------------------------------------------------------------------------

    def published_interpretations(self):
        """The published 解读 of this policy, newest first."""
        return self.interpretations.live().order_by("-first_published_at", "-pk")

    def meta_keywords(self):
        return " ".join(self.keywords.replace("，", " ").replace(",", " ").split())

    # Article tools: 相关信息 by shared 关键词 (issue 17 item 2; rule in columns.neighbours) -----

    def _sharing_terms(self):
        """Live documents but this one whose 关键词 may share one with this one's (a substring
        match in the database; ``_shares_a_term`` then compares whole keywords)."""
        terms = self.meta_keywords().split()[:KEYWORDS_COMPARED]
        if not terms:
            return None
        match = reduce(operator.or_, (models.Q(keywords__contains=term) for term in terms))
        return DocumentPage.objects.live().filter(match).exclude(pk=self.pk)

    def _shares_a_term(self, other):
        return bool(set(self.meta_keywords().split()) & set(other.meta_keywords().split()))

    def related_by_terms(self, count):
        """相关信息 of a document with 关键词: the earlier documents, nearest first, that share
        one of them (None without 关键词: the column's earlier items are shown instead)."""
        sharing = self._sharing_terms()
        if sharing is None:
            return None
        candidates = sharing.filter(neighbours.earlier_than(self)).order_by(
            "-first_published_at", "-pk"
        )
        candidates = candidates.only("id", "title", "url_path", "keywords", "first_published_at")
        return [doc for doc in candidates[: count * 4] if self._shares_a_term(doc)][:count]

    def linked_from(self, column):
        """Besides the column's neighbours, the later documents sharing a 关键词, whose
        相关信息 may list this one."""
        linked = super().linked_from(column)
        sharing = self._sharing_terms()
        if sharing is not None:
            later = sharing.filter(neighbours.later_than(self)).order_by("first_published_at")
            linked += list(later.only("id", "url_path")[:KEYWORD_LINKED_PURGED])
        return linked


class ListedDocument(models.Model):
    """The listing index (R-OPEN-2, 第十条; issue 16 item 6): one narrow row per document the
    政务公开目录 and the policy library may list (live, at the documents' depth), holding only
    what they filter, count and order by. An index over the metadata, not a copy of the
    documents: the page rows stay the truth, and ``govsite.disclosure.listing_index`` keeps this
    table equal to them on every save, publication, withdrawal, move and deletion
    (``manage.py rebuild_listing_index`` rebuilds it whole). Over 100,000 documents the counts
    and the pages read this table alone, from its covering indexes (bench/README.md)."""

    page = models.OneToOneField(
        DocumentPage, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    column_id = models.PositiveIntegerField("所在栏目")  # the parent page (a sub-column)
    published_at = models.DateTimeField("发布日期", null=True)  # the page's first_published_at
    year = models.PositiveSmallIntegerField("发布年份", null=True)  # the office's time zone
    catalogue_category = models.CharField(max_length=20, blank=True)
    topic_id = models.PositiveIntegerField(null=True)
    genre_id = models.PositiveIntegerField(null=True)
    publisher = models.CharField(max_length=100, blank=True)
    validity = models.CharField(max_length=20)

    class Meta:
        verbose_name = "公开目录索引"
        indexes = [
            # A page of the list, newest first, at any depth of OFFSET: read from this index
            # alone, whatever the filters.
            models.Index(
                fields=[
                    "published_at",
                    "page",
                    "column_id",
                    "validity",
                    "year",
                    "publisher",
                    "catalogue_category",
                    "genre_id",
                    "topic_id",
                ],
                name="disclosure_listed_newest",
            ),
            # The counts: every filter and facet column, the scope's sub-columns first.
            models.Index(
                fields=[
                    "column_id",
                    "year",
                    "validity",
                    "publisher",
                    "catalogue_category",
                    "genre_id",
                    "topic_id",
                ],
                name="disclosure_listed_counts",
            ),
            # The 主题分类 counts (about 100 values, counted alone): walked in topic order.
            models.Index(
                fields=[
                    "topic_id",
                    "column_id",
                    "year",
                    "validity",
                    "publisher",
                    "catalogue_category",
                    "genre_id",
                ],
                name="disclosure_listed_topics",
            ),
        ]

    def __str__(self):
        return f"{self.page_id}"


# The public views over the metadata are page types too (imported so that Django finds them).
from .pages import CataloguePage, PolicyLibraryPage  # noqa: E402, F401
