"""专栏 of 热点专题 (R-TOPIC-1; 第十一条: 热点专题栏目根据工作情况由各科室负责。各科室可根据不同
时期的重点工作,申请开辟专栏,上传相关内容。).

A section's officer or chief applies (``TopicApplication``); the section's chief, 综合科 and the
director who supervises the section approve in turn, each decision a ``TopicApplicationStep``
written once. The last approval creates the 专栏 under 热点专题 as a ``TopicPage``, a kind of
sub-column owned by the applying section, so that its groups, permissions and reviewers follow
like any column's (R-TREE-2). When its period ends a daily task archives it: still reachable,
marked 已归档, closed to new content. Its articles (``TopicArticlePage``) each name their 板块.
"""

import tomllib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet

from govsite.columns.models import ArticlePage, ColumnPage, SubColumnPage, published_items
from govsite.columns.permissions import ColumnPermissionTester
from govsite.lifecycles import AppendOnlyError, AppendOnlyStep, AppendOnlyStepQuerySet
from govsite.sections.models import Section
from govsite.sections.rules import is_chief_of, office_section, reviews_anything

from .forms_page import TopicArticleForm

DATA_FILE = Path(__file__).resolve().parent / "data" / "topics.toml"


@cache
def settings_of_topics():
    """``data/topics.toml``: the column 专栏 are opened under and the thresholds."""
    with open(DATA_FILE, "rb") as handle:
        return tomllib.load(handle)


class Status(models.TextChoices):
    AWAITING_CHIEF = "awaiting_chief", "待科长审核"
    AWAITING_OFFICE = "awaiting_office", "待综合科审核"
    AWAITING_DIRECTOR = "awaiting_director", "待主管主任审核"
    OPENED = "opened", "已开设"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATUSES = [Status.AWAITING_CHIEF, Status.AWAITING_OFFICE, Status.AWAITING_DIRECTOR]


class Stage(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    CHIEF = "chief", "科长审核"
    OFFICE = "office", "综合科审核"
    DIRECTOR = "director", "主管主任审核"


class Decision(models.TextChoices):
    FILED = "filed", "提交申请"
    RESUBMITTED = "resubmitted", "修改后重新提交"
    APPROVED = "approved", "同意"
    RETURNED = "returned", "退回"
    WITHDRAWN = "withdrawn", "撤回"


class TopicApplicationQuerySet(models.QuerySet):
    def pending(self):
        """Applications still waiting for a decision (待科长/综合科/主管主任审核)."""
        return self.filter(status__in=OPEN_STATUSES)

    def returned(self):
        return self.filter(status=Status.RETURNED)

    def opened(self):
        return self.filter(status=Status.OPENED)

    def filed_by(self, user):
        return self.filter(requested_by_id=user.pk)

    def of_sections(self, sections):
        return self.filter(section__in=sections)

    def awaiting(self, user):
        """The applications ``user`` may decide now (待我审核), as ``rules.refusal_to_decide``
        says: at the step whose role ``user`` holds, not filed by ``user``, not decided by
        them at an earlier step of the same round. One query, however many applications."""
        if not reviews_anything(user):
            return self.none()
        chief_of = Section.objects.with_chief(user).values("pk")
        director_of = Section.objects.supervised_by(user).values("pk")
        steps = Q(status=Status.AWAITING_CHIEF, section__in=chief_of) | Q(
            status=Status.AWAITING_DIRECTOR, section__in=director_of
        )
        if is_chief_of(user, office_section(user)):
            steps |= Q(status=Status.AWAITING_OFFICE)
        decided = TopicApplicationStep.objects.filter(
            actor_id=user.pk, round=models.OuterRef("round"), application=models.OuterRef("pk")
        ).exclude(stage=Stage.APPLICANT)
        return (
            self.pending()
            .filter(steps)
            .exclude(requested_by_id=user.pk)
            .exclude(models.Exists(decided))
        )

    def for_listing(self):
        return self.select_related("section", "requested_by", "topic")


class TopicApplication(models.Model):
    """专栏申请 (R-TOPIC-1; 第十一条): a section asks to open a 专栏 under 热点专题.

    Filed by an officer or chief of ``section`` (``rules.refusal_to_apply``); approved by the
    section's chief, then 综合科 (the chief of the office section, 第五条), then the director
    who supervises the section (第十四条); the last approval creates the ``TopicPage``
    (``actions.open_topic``). A returned application keeps its reasons in its steps and can be
    revised and filed again (a new ``round``). Never deleted (R-FLOW-4).
    """

    section = models.ForeignKey(
        Section,
        verbose_name="申请科室",
        on_delete=models.PROTECT,
        related_name="topic_applications",
        help_text="专栏开设后由该科室负责维护，权限和审核人随之确定。",
    )
    title = models.CharField(
        "专栏名称", max_length=60, help_text="如“优化营商环境专栏”，显示在网站上。"
    )
    purpose = models.TextField(
        "开设目的",
        help_text="说明围绕哪项重点工作开设、面向谁、计划发布哪些内容（第十一条）。",
    )
    starts_on = models.DateField("开始日期", null=True, blank=True)
    ends_on = models.DateField(
        "结束日期", null=True, blank=True, help_text="到期后专栏自动归档：仍可访问，不再新增内容。"
    )
    banner = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name="横幅图片",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="从图片库选择；须符合第十七条图片规定（JPG，宽高比 4:3，不超过 500×375）。",
    )
    boards = models.TextField(
        "板块",
        help_text="每行一个板块名称，如“工作动态”“政策解读”“典型案例”；发布文章时选择所属板块。",
    )
    slug = models.SlugField(
        "网址名称",
        max_length=60,
        help_text="专栏网址的最后一段，用小写拼音字母、数字和连字符，如 yshj（营商环境）。",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now, editable=False)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.AWAITING_CHIEF
    )
    round = models.PositiveSmallIntegerField("提交次数", default=1, editable=False)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True, editable=False)
    topic = models.OneToOneField(
        "topics.TopicPage",
        verbose_name="专栏",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
        editable=False,
    )

    objects = TopicApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "专栏申请"
        verbose_name_plural = "专栏申请"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(status__in=OPEN_STATUSES),
                name="topics_one_pending_application_per_slug",
                violation_error_message="该网址名称已被另一份正在审核的专栏申请使用，请换一个。",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="topics_period_in_order",
                violation_error_message="结束日期不能早于开始日期，请检查起止日期。",
            ),
        ]

    def __str__(self):
        return f"专栏申请：{self.title}"

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("专栏申请是永久记录，不能删除。")

    @property
    def is_pending(self):
        return self.status in OPEN_STATUSES

    def board_names(self):
        return board_names(self.boards)

    def snapshot(self):
        """What was applied for, as kept with each filing (the application may be revised)."""
        return {
            "section": self.section.name,
            "title": self.title,
            "purpose": self.purpose,
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
            "banner": self.banner_id,
            "boards": self.board_names(),
            "slug": self.slug,
        }

    @property
    def status_label(self):
        """已归档 once the 专栏 it opened is archived, else the application's state."""
        if self.topic_id and self.topic.archived_at:
            return "已归档"
        return self.get_status_display()


def board_names(text):
    """The 板块 of an application: one name a line, blanks and repeats dropped."""
    names = []
    for line in (text or "").splitlines():
        name = line.strip()
        if name and name not in names:
            names.append(name)
    return names


class TopicApplicationStepQuerySet(AppendOnlyStepQuerySet):
    pass


class TopicApplicationStep(AppendOnlyStep, models.Model):
    """One step of an application, written once (R-FLOW-4: who, when, what, which opinion).

    Filing and each re-filing carry a ``snapshot`` of what was applied for, so a revision
    never hides what the reviewers of an earlier round saw."""

    application = models.ForeignKey(
        TopicApplication, verbose_name="申请", on_delete=models.PROTECT, related_name="steps"
    )
    round = models.PositiveSmallIntegerField("提交次数")
    stage = models.CharField("环节", max_length=20, choices=Stage.choices)
    decision = models.CharField("处理", max_length=20, choices=Decision.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="处理人", on_delete=models.PROTECT, related_name="+"
    )
    acted_at = models.DateTimeField("时间", default=timezone.now, editable=False)
    comment = models.TextField("意见", blank=True, help_text="退回时必须说明原因。")
    snapshot = models.JSONField("申请内容", null=True, blank=True, editable=False)

    objects = TopicApplicationStepQuerySet.as_manager()

    class Meta:
        verbose_name = "专栏申请审核记录"
        verbose_name_plural = "专栏申请审核记录"
        ordering = ["acted_at", "pk"]

    def __str__(self):
        return f"{self.get_stage_display()}：{self.get_decision_display()}"


class TopicPageQuerySet(PageQuerySet):
    def open(self):
        """正在进行: 专栏 not archived (the homepage shows the live ones as banners)."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        """往期专题: 专栏 whose period has ended and that were archived."""
        return self.filter(archived_at__isnull=False)

    def due_for_archiving(self, today):
        """Open 专栏 whose period ended before ``today`` (a date in the office's zone)."""
        return self.open().filter(ends_on__lt=today)


class TopicPermissionTester(ColumnPermissionTester):
    """A sub-column's permissions, closed to new content once the 专栏 is archived (R-TOPIC-1).
    Existing content stays editable through the review chain, so a correction can still be
    published (第十三条: 谁发布、谁负责)."""

    def add_refusal(self):
        """Why nothing may be added under the 专栏 any more, or ``None``."""
        topic = self.page.specific_deferred
        if topic.archived_at is None:
            return None
        return (
            f"专栏《{topic.title}》已于 {topic.ends_on:%Y-%m-%d} 到期归档，不能再新增内容；"
            "已发布的内容仍可修改。如需继续开展这项工作，请重新申请专栏。"
        )

    def can_add_subpage(self):
        if self.add_refusal():
            return False
        return super().can_add_subpage()


class TopicPage(SubColumnPage):
    """专栏 (R-TOPIC-1; 第十一条): a sub-column of 热点专题 opened on a section's approved
    application, owned by that section (ownership grants and reviewers follow ``owner_section``
    like any sub-column's). Archived (``archived_at``) by ``tasks.archive_ended_topics`` when
    its period ends: still reachable, marked 已归档, closed to new content."""

    purpose = models.TextField("开设目的", blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    banner = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name="横幅图片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    archived_at = models.DateTimeField("归档时间", null=True, blank=True, editable=False)

    objects = PageManager.from_queryset(TopicPageQuerySet)()

    content_panels = [
        *SubColumnPage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("purpose"),
                FieldPanel("starts_on"),
                FieldPanel("ends_on"),
                FieldPanel("banner"),
            ],
            heading="专栏",
        ),
        InlinePanel("boards", label="板块", heading="板块"),
    ]

    parent_page_types = ["columns.ColumnPage"]
    subpage_types = ["topics.TopicArticlePage"]
    # Opened only by an approved application (``actions.open_topic``), never by hand.
    is_creatable = False
    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)
    routed_related = ("owner_section", "banner")

    class Meta:
        verbose_name = "专栏"

    def permissions_for_user(self, user):
        return TopicPermissionTester(user, self)

    @property
    def is_archived(self):
        return self.archived_at is not None

    def board_list(self):
        return list(self.boards.all())

    def boards_with_items(self, count=None):
        """[(板块, its ``count`` newest live items)] in the 板块 order: two queries however many
        板块 and items (a window numbers each 板块's items)."""
        count = count or settings_of_topics()["items_per_board"]
        boards = self.board_list()
        numbered = (
            TopicArticlePage.objects.live()
            .child_of(self)
            .filter(board__in=boards)
            .annotate(
                number=Window(
                    RowNumber(),
                    partition_by=[F("board")],
                    order_by=[F("first_published_at").desc(), F("pk").desc()],
                )
            )
            .filter(number__lte=count)
            .only("title", "url_path", "first_published_at", "board")
            .order_by("-first_published_at", "-pk")
        )
        by_board = {board.pk: [] for board in boards}
        for item in numbered:
            by_board[item.board_id].append(item)
        return [(board, by_board[board.pk]) for board in boards]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["boards"] = self.boards_with_items()
        return context

    def all_items(self):
        return published_items(self)


class TopicBoard(Orderable):
    """板块: a part of a 专栏 (e.g. 工作动态, 政策解读, 典型案例) that its articles choose."""

    page = ParentalKey(TopicPage, on_delete=models.CASCADE, related_name="boards")
    name = models.CharField("板块名称", max_length=30)

    panels = [FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = "板块"
        verbose_name_plural = "板块"

    def __str__(self):
        return self.name


class TopicArticlePage(ArticlePage):
    """专栏文章: an article of a 专栏, written by the owning section's officer and published
    through the review chain like any article (第十四条), in one of the 专栏's 板块."""

    board = models.ForeignKey(
        TopicBoard,
        verbose_name="板块",
        null=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text="文章显示在专栏的哪个板块。",
    )

    content_panels = [
        FieldPanel("title"),
        FieldPanel("subtitle"),
        FieldPanel("board"),
        HelpPanel(content="来源由所在专栏的负责科室自动填写；发布时间由系统在审核通过发布时记录。"),
        FieldPanel("classification"),
        FieldPanel("body"),
        FieldPanel("body_txt"),
        FieldPanel("body_docx"),
        InlinePanel("attachments", label="附件", heading="附件"),
    ]

    parent_page_types = ["topics.TopicPage"]
    subpage_types = []
    base_form_class = TopicArticleForm
    template = "columns/article_page.html"
    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)

    class Meta:
        verbose_name = "专栏文章"


def topic_column():
    """热点专题: the column 专栏 are opened under (``data/topics.toml``), or ``None``."""
    return ColumnPage.objects.filter(slug=settings_of_topics()["column_slug"]).first()


def slug_taken_by_page(slug):
    column = topic_column()
    return column is not None and Page.objects.child_of(column).filter(slug=slug).exists()
