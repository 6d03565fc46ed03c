"""The site tree of SPEC §2 (第九、十一条): homepage, columns, sub-columns and their content.

Structure pages (homepage, column, sub-column) are edited by the site-management role only;
content pages (article, profile) are written by the section that owns the sub-column they
live in. Who may do what is decided in one place, ``permissions.ColumnPermissionTester``.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.templatetags.static import static
from django.utils.text import slugify
from modelcluster.fields import ParentalKey
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction, Site, get_page_models
from wagtail.query import PageQuerySet
from wagtail.search import index

from govsite.images.rules import image_problems
from govsite.sections.models import Section

from . import neighbours, render_cache
from .blocks import BodyBlock
from .forms import ContentPageForm, dated_slug

LIST_PAGE_SIZE = 20
# The emblem shipped with GovSite, shown until the office chooses its own (网站设置 › 网站标志).
DEFAULT_EMBLEM = "govsite/emblem.svg"
HOME_ITEMS_PER_COLUMN = 6
# The homepage reads this many of the site's most recent items per column before it reads a
# rarely updated column from its own range (``latest_items``).
RECENT_SCAN_PER_COLUMN = 25


class ContentKind(models.TextChoices):
    """R-TREE-3: whether a column's content changes often or stays relatively fixed."""

    DYNAMIC = "dynamic", "动态更新"
    FIXED = "fixed", "相对固定"


class Classification(models.TextChoices):
    """R-SCREEN-2 上网不涉密，涉密不上网: only 公开 may ever be published."""

    PUBLIC = "public", "公开"
    INTERNAL = "internal", "内部"
    SECRET = "secret", "秘密"
    CONFIDENTIAL = "confidential", "机密"
    TOP_SECRET = "top_secret", "绝密"


class GovPage(Page):
    """Base of every page of the site: permissions come from column ownership."""

    # Related rows every render of a page of this type shows, read with it when it is routed to.
    routed_related = ()

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        from .permissions import ColumnPermissionTester

        return ColumnPermissionTester(user, self)

    @property
    def column_name(self):
        """The name in ``<meta name="ColumnName">``: the nearest column or sub-column."""
        return self.title

    def breadcrumb(self):
        """The pages above this one, below the tree's root: those routing passed through to
        reach it (no query), else read in one query. Only their titles and URLs are shown."""
        ancestors = []
        page = self
        while page.depth > 2:
            page = getattr(page, "_cached_parent_obj", None)
            if page is None:
                return self.get_ancestors(inclusive=False).filter(depth__gt=1)
            ancestors.append(page)
        return ancestors[::-1]

    def route(self, request, path_components):
        result = super().route(request, path_components)
        if not path_components:
            self._routed = True
        return result

    def _view_restrictions_in_one_query(self):
        """Wagtail's ``get_view_restrictions`` — the restrictions of this page and its
        ancestors, an alias answering for its source page — in one query instead of two (the
        ancestors are known from the path): an article stays within SPEC §12's ten queries."""
        if not self.path:
            return super().get_view_restrictions()
        steps = range(self.steplen, len(self.path) + 1, self.steplen)
        pages = Page.objects.filter(path__in=[self.path[:end] for end in steps]).order_by()
        return PageViewRestriction.objects.filter(
            Q(page__in=pages.filter(alias_of__isnull=True).values("pk"))
            | Q(page__in=pages.filter(alias_of__isnull=False).values("alias_of"))
        )

    def get_view_restrictions(self):
        """Wagtail's, read once for the page a request is served (Wagtail's check before
        serving, then the publishing rule before storing the file): a page found by routing
        serves that one request only."""
        if not getattr(self, "_routed", False):
            return super().get_view_restrictions()
        restrictions = getattr(self, "_routed_view_restrictions", None)
        if restrictions is None:
            restrictions = self._view_restrictions_in_one_query()
            restrictions._fetch_all()
            self._routed_view_restrictions = restrictions
        return restrictions


class StructurePage(GovPage):
    """A page that is part of the tree's structure rather than its content (R-TREE-1)."""

    intro = models.TextField("栏目说明", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        abstract = True

    def paginate(self, request, queryset):
        return Paginator(queryset, LIST_PAGE_SIZE).get_page(request.GET.get("page"))

    def route(self, request, path_components):
        """Wagtail's routing, with the child read as its own type in one query (Wagtail reads
        the base page, then its specific type: two queries for every step of the path).

        The child is looked for among the types this page may hold; a page of another type,
        or none, is left to Wagtail's own routing, which answers as it always does."""
        if path_components:
            child = self._routed_child(path_components[0])
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def _routed_child(self, slug):
        for model in type(self).allowed_subpage_models():
            children = model.objects.child_of(self).filter(slug=slug)
            if model.routed_related:
                children = children.select_related(*model.routed_related)
            child = children.first()
            if child is not None:
                return child if child.specific_class is type(child) else child.specific
        return None


def subtree_range(page):
    """The ``path`` range of ``page``'s descendants, for ``path__range``.

    Treebeard's paths are fixed-width steps of digits and capital letters, compared bytewise
    (SQLite's BINARY, PostgreSQL's "C" collation that Wagtail sets on the column), so a range
    reads only the subtree from the path index. Wagtail's ``descendant_of`` is ``LIKE 'path%'``,
    which SQLite cannot answer from that index (its LIKE ignores case; the index does not).
    """
    return page.path, page.path + "Z" * (Page._meta.get_field("path").max_length - len(page.path))


def published_content(column):
    """Live articles and profiles anywhere under a column or sub-column, newest first.

    R-TREE-1 keeps content exactly one level below the sub-columns (only sub-columns hold
    articles and profiles, and those hold nothing), so the depth says which pages are content.
    A type filter would say the same, but leads SQLite's planner to read every article through
    the content-type index instead of this column's range (100,000 articles: 50 ms → 2–10 ms).
    """
    return (
        Page.objects.live()
        .filter(path__range=subtree_range(column), depth=column.depth + _content_below(column))
        .order_by("-first_published_at", "-pk")
        .specific()
    )


def published_items(column):
    """``published_content`` as the lists show it: title, address and date only, so the pages
    are not read again as their own types (one query, not one per content type)."""
    return (
        Page.objects.live()
        .filter(path__range=subtree_range(column), depth=column.depth + _content_below(column))
        .order_by("-first_published_at", "-pk")
    )


def _content_below(column):
    return 1 if isinstance(column, SubColumnPage) else 2


def live_structure():
    """Every live column and sub-column of the site (base pages, in tree order): the main
    navigation and the sidebars. Read in one query from the columns' own small tables (over
    100,000 articles, filtering the page table by depth and sorting by path would scan every
    page), then kept in the render cache until the next publication. A sub-column carries its
    ``content_kind`` (None on a column): the RSS feeds follow it (govsite/feeds)."""

    def build():
        ids = Q(pk__in=ColumnPage.objects.order_by().values("pk")) | Q(
            pk__in=SubColumnPage.objects.order_by().values("pk")
        )
        pages = Page.objects.live().order_by().filter(ids)
        pages = pages.annotate(content_kind=models.F("subcolumnpage__content_kind"))
        return sorted(pages, key=lambda page: page.path)

    return render_cache.cached("structure", build)


def navigation_columns():
    """The columns of the main navigation: live, shown in menus, in tree order."""
    return [
        page
        for page in live_structure()
        if page.depth == 3 and page.show_in_menus and issubclass(page.specific_class, ColumnPage)
    ]


def live_children(page):
    """The live columns or sub-columns directly below ``page``, in tree order."""
    return [
        child
        for child in live_structure()
        if child.depth == page.depth + 1 and child.path.startswith(page.path)
    ]


def structure_pages(model, depth=None, parent=None, in_menu=False):
    """Live columns or sub-columns in tree order, found from their own small table: over a
    large tree (100,000 articles), filtering the page table by depth and sorting by path would
    scan every page on SQLite."""
    ids = list(model.objects.order_by().values_list("pk", flat=True))
    pages = model.objects.live().order_by().filter(pk__in=ids)
    if parent is not None:
        pages = pages.filter(depth=parent.depth + 1, path__startswith=parent.path)
    if depth is not None:
        pages = pages.filter(depth=depth)
    if in_menu:
        pages = pages.in_menu()
    return sorted(pages, key=lambda page: page.path)


def latest_items(columns, count):
    """[(column, its ``count`` newest items)] for ``columns`` (columns of one level), in two
    queries whatever the size of the site.

    Reading each column's newest from its path range sorts every item of the column (100,000
    articles: 5–10 ms a column). Instead the site's most recent items are read newest first
    from the publication-date index, addresses only, until every column has ``count`` of
    them; a column that has fewer there (one rarely updated) is read from its own range, in
    the same query that fetches the items shown."""
    if not columns:
        return []
    prefix = len(columns[0].path)
    chosen = {column.path: [] for column in columns}
    recent = (
        Page.objects.live()
        .filter(depth=columns[0].depth + _content_below(columns[0]))
        .order_by("-first_published_at", "-pk")
        .values_list("pk", "path")[: RECENT_SCAN_PER_COLUMN * len(columns)]
    )
    for pk, path in recent:
        ids = chosen.get(path[:prefix])
        if ids is not None and len(ids) < count:
            ids.append(pk)
    short = [column for column in columns if len(chosen[column.path]) < count]
    shown = Q(pk__in=[pk for ids in chosen.values() for pk in ids])
    for column in short:
        shown |= Q(pk__in=published_items(column).values("pk")[:count])
    by_column = {column.path: [] for column in columns}
    for item in Page.objects.filter(shown).order_by("-first_published_at", "-pk"):
        items = by_column[item.path[:prefix]]
        if len(items) < count:
            items.append(item)
    return [(column, by_column[column.path]) for column in columns]


class HomePage(StructurePage):
    """首页 (SPEC §11, R-SITE-1): 头条, 图片新闻, 通知公告, the eight columns with the latest
    items of each, 在线交流, 办事指南, the open 专栏 and the site's entries (``home``)."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["columns.ColumnPage"]
    max_count = 1
    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)

    class Meta:
        verbose_name = "首页"

    @property
    def column_name(self):
        return "首页"

    def get_context(self, request, *args, **kwargs):
        from .home import homepage_context  # noqa: PLC0415 — home.py reads these models

        context = super().get_context(request, *args, **kwargs)
        context.update(homepage_context(request, self))
        return context


class ColumnPage(StructurePage):
    """栏目: one of the eight top-level columns of 第九、十一条; it holds sub-columns."""

    parent_page_types = ["columns.HomePage"]
    subpage_types = ["columns.SubColumnPage"]
    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)

    class Meta:
        verbose_name = "栏目"

    def sub_columns(self):
        return SubColumnPage.objects.child_of(self).live().select_related("owner")

    def owners(self):
        """The sections that own this column's sub-columns, in their order."""
        return Section.objects.filter(pk__in=self.sub_columns().values("owner")).distinct()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sub_columns"] = live_children(self)
        context["items"] = self.paginate(request, published_items(self))
        # 专栏 (govsite/topics): another app may add a block to a column's page, each an object
        # with a ``template`` (热点专题's 正在进行 / 往期专题).
        context["column_extras"] = []
        for hook in hooks.get_hooks("construct_column_context"):
            hook(self, request, context)
        return context


class SubColumnPage(StructurePage):
    """子栏目: the unit of ownership. The owning section's officers write here (第十一条)."""

    owner_section = models.ForeignKey(
        Section,
        verbose_name="负责科室",
        on_delete=models.PROTECT,
        related_name="columns",
        help_text="该科室的信息员负责本栏目内容的编辑和更新；修改后权限随之转移。",
    )
    content_kind = models.CharField(
        "内容性质",
        max_length=10,
        choices=ContentKind.choices,
        default=ContentKind.DYNAMIC,
        help_text="动态更新的栏目须及时更新；相对固定的栏目定期复核（第十五条）。",
    )

    content_panels = [
        *StructurePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("owner_section"), FieldPanel("content_kind")], heading="归属与性质"
        ),
    ]

    parent_page_types = ["columns.ColumnPage"]
    subpage_types = ["columns.ArticlePage", "columns.ProfilePage"]
    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)

    class Meta:
        verbose_name = "子栏目"

    def items(self):
        return Page.objects.child_of(self).live().specific().order_by("-first_published_at", "-pk")

    routed_related = ("owner_section",)

    def parent_column(self):
        """The column above, for the sidebar (from routing, without a query)."""
        return self.get_parent()

    def sibling_columns(self):
        """The live sub-columns of the column above, this one included, for the sidebar."""
        return live_children(self.parent_column())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # 置顶 (issue 17): the pinned articles head the first page and are left out of the
        # pages of the rest (a handful at most, read in one query).
        pinned = list(ArticlePage.objects.pinned().child_of(self))
        items = self.paginate(
            request, published_items(self).exclude(pk__in=[page.pk for page in pinned])
        )
        context["items"] = items
        context["pinned"] = pinned if items.number == 1 else []
        # A fixed column holding a single profile (办公室简介, 机构职能) shows it in place.
        if self.content_kind == ContentKind.FIXED and items.paginator.count == 1:
            only = items.object_list[0]
            if issubclass(only.specific_class, ProfilePage):
                context["profile"] = only.specific
        return context


class SupervisionPhonePage(SubColumnPage):
    """监督电话 (R-MAIL-6, 第十一条): the supervision numbers and hours kept in the site settings
    (``SiteSettings.supervision_phones``), shown above the sub-column's own content."""

    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)

    class Meta:
        verbose_name = "监督电话栏目"


class ContentPage(GovPage):
    """Content written by a section's officer and published through review.

    来源 is the owning section, filled in by the system (第十三条); 发布时间 is
    ``first_published_at``, set by the system at publication and never moved backwards
    (R-FLOW-4: 伪造发稿日期 is a 单项否决 item).
    """

    source_section = models.ForeignKey(
        Section,
        verbose_name="来源",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    classification = models.CharField(
        "密级",
        max_length=20,
        choices=Classification.choices,
        default=Classification.PUBLIC,
        help_text="只有“公开”的信息才能上网发布（上网不涉密，涉密不上网）。",
    )
    body = StreamField(BodyBlock(), verbose_name="正文", blank=True)

    search_fields = [*Page.search_fields, index.SearchField("body")]
    routed_related = ("source_section",)

    # Every kind of sub-column, the specialised ones included (Wagtail matches exact types),
    # but a 公文栏目 (disclosure.DocumentColumnPage), which holds its documents only.
    parent_page_types = [
        "columns.SubColumnPage",
        "columns.SupervisionPhonePage",
        "mailbox.MailboxPage",
        "surveys.SurveyColumnPage",
        "services.GuideColumnPage",
    ]
    subpage_types = []

    base_form_class = ContentPageForm

    class Meta:
        abstract = True

    @property
    def column(self):
        return self.get_parent().specific

    @property
    def column_name(self):
        return self.column.title

    def full_clean(self, *args, **kwargs):
        if not self.slug and not slugify(self.title):
            self.slug = dated_slug()
        return super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        if self.source_section_id is None and self.depth:
            parent = self.get_parent()
            if parent is not None:
                self.source_section_id = getattr(parent.specific, "owner_section_id", None)
        if self.pk and self.first_published_at is not None:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values_list("first_published_at", flat=True)
                .first()
            )
            # Revisions keep times to the millisecond only: compare to the second.
            if stored is not None and stored - self.first_published_at >= timedelta(seconds=1):
                raise ValidationError("发布时间由系统在发布时记录，不能改为更早的时间。")
        return super().save(*args, **kwargs)


def content_page_models():
    """Every concrete kind of content page, those of other apps included (a 办事指南): what a
    column holds, what the screening re-reads."""
    return [model for model in get_page_models() if issubclass(model, ContentPage)]


class ArticlePageQuerySet(PageQuerySet):
    """Articles as the homepage picks them (R-SITE-1)."""

    def headlines(self):
        """头条: articles flagged as the headline, newest first."""
        return self.live().filter(is_headline=True).order_by("-first_published_at", "-pk")

    def with_title_image(self):
        """图片新闻: articles carrying a 题图, newest first."""
        return (
            self.live()
            .filter(title_image__isnull=False)
            .order_by("-first_published_at", "-pk")
            .select_related("title_image")
        )

    def pinned(self):
        """置顶: pinned in their column's list."""
        return self.live().filter(is_pinned=True).order_by("-first_published_at", "-pk")


class ArticlePage(ContentPage):
    """文章: a notice, news item, document or speech in a sub-column."""

    subtitle = models.CharField("副标题", max_length=200, blank=True)
    contributor = models.CharField(
        "供稿",
        max_length=100,
        blank=True,
        editable=False,
        help_text="综合科采用科室报送的信息时由系统填写（科室和撰稿人，第十六条），编辑时不能修改。",
    )
    # The homepage (issue 17, R-SITE-1): ordinary fields of the page, so a change of them is a
    # revision that goes through the two-level review like any edit (第十四条).
    title_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name="题图",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="可选。有题图的文章进入首页“图片新闻”；题图须符合第十七条图片规则（JPG、4:3）。",
    )
    is_headline = models.BooleanField(
        "头条",
        default=False,
        help_text="首页“头条”显示最新一篇标为头条的文章。修改同样经过审核后才生效。",
    )
    is_pinned = models.BooleanField(
        "置顶",
        default=False,
        help_text="在所在栏目的列表中排在最前面。修改同样经过审核后才生效。",
    )
    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)

    content_panels = [
        FieldPanel("title"),
        FieldPanel("subtitle"),
        HelpPanel(content="来源由所在栏目的负责科室自动填写；发布时间由系统在审核通过发布时记录。"),
        FieldPanel("classification"),
        FieldPanel("body"),
        FieldPanel("body_txt"),
        FieldPanel("body_docx"),
        InlinePanel("attachments", label="附件", heading="附件"),
        MultiFieldPanel(
            [FieldPanel("title_image"), FieldPanel("is_headline"), FieldPanel("is_pinned")],
            heading="首页与置顶",
        ),
    ]
    search_fields = [*ContentPage.search_fields, index.SearchField("subtitle")]

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    class Meta:
        verbose_name = "文章"
        indexes = [
            models.Index(fields=["is_headline"], name="columns_article_headline"),
            models.Index(fields=["is_pinned"], name="columns_article_pinned"),
        ]

    def clean(self):
        super().clean()
        if self.title_image_id:
            problems = image_problems(self.title_image)
            if problems:
                raise ValidationError(
                    {
                        "title_image": "题图不符合第十七条图片规则："
                        + "；".join(problems)
                        + "。请在“图片”中重新上传该图片，系统会提供符合规则的 4:3 版本，再选用它。"
                    }
                )

    def attachment_list(self):
        """The attachments with their documents, in their order (one query)."""
        return self.attachments.select_related("document")

    # Article tools (issue 17 item 2): 上一篇/下一篇 and 相关信息, rule in ``neighbours``.

    def article_links(self):
        if not hasattr(self, "_article_links"):
            self._article_links = neighbours.article_links(self)
        return self._article_links

    def parent_column(self):
        """The sub-column holding the article (from routing, without a query): 关闭 goes there."""
        return neighbours.column_of(self)

    def linked_from(self, column):
        """The pages of ``column`` whose published copy links this one (静态发布's purge)."""
        return neighbours.linked_from(self, column)


class ArticleAttachment(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(
        "附件名称", max_length=200, blank=True, help_text="留空则使用文件标题。"
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"

    @property
    def display_title(self):
        return self.title or self.document.title


class ProfilePage(ContentPage):
    """简介: relatively fixed content such as 办公室简介, 领导简介, 机构职能 (R-TREE-3)."""

    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)

    content_panels = [
        FieldPanel("title"),
        FieldPanel("classification"),
        FieldPanel("body"),
        FieldPanel("body_txt"),
        FieldPanel("body_docx"),
    ]

    class Meta:
        verbose_name = "简介页"


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Site identity shown in every page's footer and meta tags (政府网站发展指引, SPEC §11)."""

    site_name = models.CharField("网站名称", max_length=100, default="区政府办公室网站")
    sponsor = models.CharField("主办单位", max_length=100, default="区人民政府办公室")
    emblem = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name="网站标志",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="显示在后台登录页和左侧菜单顶部；不选时使用系统自带的标志。建议用正方形图片。",
    )
    favicon = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name="网站图标",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="浏览器标签页和收藏夹中显示的小图标；不选时使用网站标志。建议用正方形图片。",
    )
    site_code = models.CharField(
        "网站标识码", max_length=20, blank=True, help_text="政府网站标识码，10 位数字或字母。"
    )
    icp_record = models.CharField("ICP备案号", max_length=50, blank=True)
    police_record = models.CharField("公安备案号", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    postcode = models.CharField("邮编", max_length=10, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    supervision_phones = models.TextField(
        "监督电话",
        blank=True,
        help_text="每行一个，格式为“名称：号码”，如“政府办监督电话：0571-12345678”。"
        "显示在“在线交流 › 监督电话”页面和每页页脚（R-MAIL-6）。",
    )
    supervision_hours = models.CharField(
        "监督电话受理时间",
        max_length=100,
        blank=True,
        help_text="如“工作日 8:30—12:00，14:00—17:30”。",
    )
    # The homepage's entries (issue 17, R-SITE-1): each shown only where it is filled in.
    new_media = models.TextField(
        "政务新媒体",
        blank=True,
        help_text="每行一个，格式为“名称：网址”，如“区政府办公室微信公众号：https://mp.weixin.qq.com/…”。"
        "显示在首页“政务新媒体”栏；留空则不显示。",
    )
    party_emblem_url = models.URLField(
        "党政机关标识链接",
        blank=True,
        help_text="党政机关网站标识的核验地址（由机构编制部门提供）；留空则首页不显示标识。",
    )
    party_emblem = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name="党政机关标识图片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="不选时以文字“党政机关网站标识”显示链接。",
    )
    annual_report_url = models.URLField(
        "网站年度报表",
        blank=True,
        help_text="政府网站工作年度报表的地址；留空则首页不显示。",
    )
    error_report_url = models.URLField(
        "我为政府网站找错",
        blank=True,
        help_text="“我为政府网站找错”的地址；留空则首页不显示。",
    )

    panels = [
        FieldPanel("site_name"),
        FieldPanel("sponsor"),
        FieldPanel("emblem"),
        FieldPanel("favicon"),
        FieldPanel("site_code"),
        FieldPanel("icp_record"),
        FieldPanel("police_record"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("postcode"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading="联系方式",
        ),
        MultiFieldPanel(
            [FieldPanel("supervision_phones"), FieldPanel("supervision_hours")],
            heading="监督电话",
        ),
        MultiFieldPanel(
            [
                FieldPanel("new_media"),
                FieldPanel("party_emblem_url"),
                FieldPanel("party_emblem"),
                FieldPanel("annual_report_url"),
                FieldPanel("error_report_url"),
            ],
            heading="首页入口",
        ),
    ]

    class Meta:
        verbose_name = "网站设置"

    @classmethod
    def for_request(cls, request):
        """The settings every public page shows, from the render cache (a change to them
        purges every published page, and so gives the cache a new version). The admin edits
        them through ``for_site``, always read from the database."""
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        site_settings = render_cache.cached("site-settings", lambda: cls.for_site(site), site.pk)
        site_settings._request = request
        setattr(request, attr_name, site_settings)
        return site_settings

    def clean(self):
        super().clean()
        supervision_phone_lines(self.supervision_phones)
        new_media_lines(self.new_media)

    @property
    def emblem_url(self):
        """The office's emblem for the admin's login page and sidebar: the chosen image, else
        the emblem shipped with GovSite."""
        if self.emblem is None:
            return static(DEFAULT_EMBLEM)
        return self.emblem.get_rendition("max-240x240").url

    @property
    def favicon_url(self):
        """The browser's icon for the public site (/favicon.ico, <link rel="icon">, issue 17
        item 4): the chosen 网站图标, else the emblem (the office's, or the one shipped). Kept
        in the render cache with the settings (a change to either purges every page)."""

        def build():
            image = self.favicon if self.favicon_id else self.emblem if self.emblem_id else None
            if image is None:
                return static(DEFAULT_EMBLEM)
            return image.get_rendition("fill-64x64").url

        if "_favicon_url" not in self.__dict__:
            self.__dict__["_favicon_url"] = render_cache.cached("favicon", build, self.pk)
        return self.__dict__["_favicon_url"]

    def supervision_phone_list(self):
        """[(名称, 号码)] of the supervision numbers, in the order given; a line that does not
        follow the rule (set other than through the admin) is shown as written."""
        try:
            return supervision_phone_lines(self.supervision_phones)
        except ValidationError:
            lines = self.supervision_phones.splitlines()
            return [("", line.strip()) for line in lines if line.strip()]

    def new_media_list(self):
        """[(名称, 网址)] of the 政务新媒体, in the order given; a line that does not follow the
        rule (set other than through the admin) is left out."""
        try:
            return new_media_lines(self.new_media)
        except ValidationError:
            return []


PHONE_LINE = re.compile(r"^(?P<label>[^:：]+?)\s*[:：]\s*(?P<number>.+)$")
PHONE_NUMBER = re.compile(r"^[0-9+()（）\-—–\s、/,，转]+$")


def _is_phone_number(text):
    return bool(PHONE_NUMBER.match(text)) and sum(c.isdigit() for c in text) >= 5


def supervision_phone_lines(text):
    """R-MAIL-6: "名称：号码" lines as [(名称, 号码)]; a line that is not one is refused."""
    phones = []
    for number, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        match = PHONE_LINE.match(line)
        if not match or not _is_phone_number(match["number"]):
            raise ValidationError(
                {
                    "supervision_phones": f"第 {number} 行“{line}”格式不对：应为“名称：号码”，"
                    "如“政府办监督电话：0571-12345678”。"
                }
            )
        phones.append((match["label"].strip(), match["number"].strip()))
    return phones


MEDIA_LINE = re.compile(r"^(?P<label>[^:：]+?)\s*[:：]\s*(?P<url>https?://\S+)$")


def new_media_lines(text):
    """政务新媒体 (R-SITE-1): "名称：网址" lines as [(名称, 网址)]; a line that is not one is
    refused."""
    links = []
    for number, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        match = MEDIA_LINE.match(line)
        if not match:
            raise ValidationError(
                {
                    "new_media": f"第 {number} 行“{line}”格式不对：应为“名称：网址”，"
                    "网址以 http:// 或 https:// 开头，"
                    "如“区政府办公室微信公众号：https://mp.weixin.qq.com/”。"
                }
            )
        links.append((match["label"].strip(), match["url"]))
    return links
