"""Unpublishing and deletion as reviewed requests (R-FLOW-5; 第十三、十四、十五条).

Published content leaves the site only through the human steps of the review chain: the
officer or chief of the section that owns the page's column files a request with a reason,
the chief of that section approves it, then a director who supervises the section. Only the
last approval takes effect (``actions.approve``). Deletion is a reviewed unpublish plus
retention: the page, its revisions and its log stay in the database, locked and off the site.

谁发布、谁负责 (第十三条; R-FLOW-4): who asked, who decided, when and why is kept for good. A
request's decisions are ``ChangeRequestStep`` rows, written once and never edited or deleted
through the application; nothing here can be deleted while the page exists.
"""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Page

from govsite.columns.models import SubColumnPage
from govsite.lifecycles import AppendOnlyError, AppendOnlyStep, AppendOnlyStepQuerySet
from govsite.sections.models import Section
from govsite.sections.rules import reviews_anything


class ChangeKind(models.TextChoices):
    UNPUBLISH = "unpublish", "撤销发布"
    DELETE = "delete", "删除"


class ChangeStatus(models.TextChoices):
    AWAITING_CHIEF = "awaiting_chief", "待科长审核"
    AWAITING_DIRECTOR = "awaiting_director", "待主管主任审核"
    RETURNED = "returned", "已退回"
    DONE = "done", "已完成"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATUSES = [ChangeStatus.AWAITING_CHIEF, ChangeStatus.AWAITING_DIRECTOR]


class ChangeRequestQuerySet(models.QuerySet):
    def open(self):
        """Requests still waiting for a decision."""
        return self.filter(status__in=OPEN_STATUSES)

    def awaiting_chief(self):
        return self.filter(status=ChangeStatus.AWAITING_CHIEF)

    def awaiting_director(self):
        return self.filter(status=ChangeStatus.AWAITING_DIRECTOR)

    def with_owning_section(self):
        """Each request with ``owning_section_id``: the owner of the deepest sub-column that
        holds its page (``sections.rules.owning_section``, in the query)."""
        deepest = (
            SubColumnPage.objects.filter(path=Substr(OuterRef("page__path"), 1, Length("path")))
            .order_by("-depth")
            .values("owner_section")[:1]
        )
        return self.annotate(owning_section_id=Subquery(deepest))

    def awaiting(self, user):
        """The requests ``user`` may decide now (待我审核), as ``rules.may_decide`` says: open,
        at the step whose role ``user`` holds for the owning section, neither filed by ``user``
        nor already decided by them at the step before. One query, however many requests."""
        if not reviews_anything(user):
            return self.none()
        chief_of = Section.objects.with_chief(user).values("pk")
        director_of = Section.objects.supervised_by(user).values("pk")
        decided = ChangeRequestStep.objects.filter(actor_id=user.pk).exclude(stage=Stage.REQUEST)
        return (
            self.open()
            .with_owning_section()
            .filter(
                Q(status=ChangeStatus.AWAITING_CHIEF, owning_section_id__in=chief_of)
                | Q(status=ChangeStatus.AWAITING_DIRECTOR, owning_section_id__in=director_of)
            )
            .exclude(requested_by_id=user.pk)
            .exclude(pk__in=decided.values("request_id"))
        )

    def open_for(self, page):
        return self.open().filter(page_id=page.pk)

    def filed_by(self, user):
        return self.filter(requested_by_id=user.pk)

    def for_listing(self):
        return self.select_related("page", "requested_by")


class ChangeRequest(models.Model):
    """撤销发布/删除申请: R-FLOW-5, the 逐级审批 of 第十四条 applied to taking content offline.

    Filed by an officer or chief of the owning section for a live page (for deletion: a page
    that is live or was ever published) with a reason; approved by the chief of that section,
    then by a director who supervises it. Who may do what is decided in ``rules``; what
    happens is done in ``actions``. One open request per page, enforced by the database too.
    """

    page = models.ForeignKey(
        Page, verbose_name="页面", on_delete=models.PROTECT, related_name="change_requests"
    )
    kind = models.CharField("申请类型", max_length=20, choices=ChangeKind.choices)
    reason = models.TextField(
        "理由",
        help_text="说明为什么要撤销发布或删除，例如“信息已过时效”“内容有误，已另行发布更正”。"
        "科长和主管主任据此审核，理由永久留存。",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now, editable=False)
    status = models.CharField(
        "状态", max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.AWAITING_CHIEF
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True, editable=False)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "撤销发布/删除申请"
        verbose_name_plural = "撤销发布/删除申请"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page"],
                condition=Q(status__in=OPEN_STATUSES),
                name="changes_one_open_request_per_page",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="changes_reason_required"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}申请：{self.page.get_admin_display_title()}"

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("撤销发布/删除申请是永久记录，不能删除。")

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def kind_label(self):
        return self.get_kind_display()


class ChangeRequestStepQuerySet(AppendOnlyStepQuerySet):
    pass


class Stage(models.TextChoices):
    REQUEST = "request", "申请人"
    CHIEF = "chief", "科长审核"
    DIRECTOR = "director", "主管主任审核"


class Decision(models.TextChoices):
    FILED = "filed", "提交申请"
    APPROVED = "approved", "同意"
    RETURNED = "returned", "退回"
    WITHDRAWN = "withdrawn", "撤回"


class ChangeRequestStep(AppendOnlyStep, models.Model):
    """One step of a request, written once (R-FLOW-4: who, when, what decision, what comment).

    Filing, each reviewer's decision and a withdrawal are each a row; rows are never updated
    or deleted through the application.
    """

    request = models.ForeignKey(
        ChangeRequest, verbose_name="申请", on_delete=models.PROTECT, related_name="steps"
    )
    stage = models.CharField("环节", max_length=20, choices=Stage.choices)
    decision = models.CharField("处理", max_length=20, choices=Decision.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    acted_at = models.DateTimeField("时间", default=timezone.now, editable=False)
    comment = models.TextField("意见", blank=True, help_text="退回时必须说明原因。")

    objects = ChangeRequestStepQuerySet.as_manager()

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["acted_at", "pk"]

    def __str__(self):
        return f"{self.get_stage_display()}：{self.get_decision_display()}"


class RetainedPage(models.Model):
    """删除（留存）: a page deleted through an approved request (R-FLOW-5, R-FLOW-4).

    Never a hard delete: the page, its revisions and its history stay in the database. It is
    off the public site (unpublished, so the site answers 404), locked, and its editor no
    longer opens for anyone (see ``wagtail_hooks``).
    """

    page = models.OneToOneField(
        Page, verbose_name="页面", on_delete=models.PROTECT, related_name="retention"
    )
    request = models.OneToOneField(
        ChangeRequest, verbose_name="删除申请", on_delete=models.PROTECT, related_name="retention"
    )
    retained_at = models.DateTimeField("留存时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "已删除（留存）的页面"
        verbose_name_plural = "已删除（留存）的页面"
        ordering = ["-retained_at", "-pk"]

    def __str__(self):
        return self.page.get_admin_display_title()

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("留存记录不能删除。")
