"""Notices of the review chain (R-FLOW-6): reviewers learn what waits for them, submitters
learn every decision with the reviewer's comment, in the admin and by e-mail."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.signals import (
    task_approved,
    task_cancelled,
    task_rejected,
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)

from govsite.columns.signals import site_bootstrapped
from govsite.notices import delivery
from govsite.notices.delivery import notify
from govsite.notices.models import Notice

from .bootstrap import ensure_review_workflow
from .models import AUTOMATIC_ACTOR, ReviewTask, content


def disconnect_wagtail_emails():
    """Wagtail's own workflow e-mails duplicate our notices; ours replace them. Called from
    ``WorkflowConfig.ready()``, which runs after wagtail.admin connected them."""
    for signal, uid, sender in [
        (task_submitted, "group_approval_task_submitted_email_notification", TaskState),
        (workflow_submitted, "workflow_state_submitted_email_notification", WorkflowState),
        (workflow_rejected, "workflow_state_rejected_email_notification", WorkflowState),
        (workflow_approved, "workflow_state_approved_email_notification", WorkflowState),
    ]:
        signal.disconnect(sender=sender, dispatch_uid=uid)


def _page(task_state):
    """The page, or the other object (a survey), under review."""
    return content(task_state.workflow_state.content_object)


def _edit_url(obj):
    if isinstance(obj, Page):
        return reverse("wagtailadmin_pages:edit", args=[obj.pk])
    return AdminURLFinder().get_edit_url(obj)


def _title(obj):
    return obj.get_admin_display_title() if isinstance(obj, Page) else str(obj)


def actor_name(user):
    return delivery.actor_name(user, nobody=AUTOMATIC_ACTOR)


@receiver(site_bootstrapped)
def build_review_workflow(sender, report, **kwargs):
    ensure_review_workflow(report)


@receiver(task_submitted)
def tell_reviewers(sender, instance, user=None, **kwargs):
    task = instance.task.specific
    if not isinstance(task, ReviewTask) or instance.status != TaskState.STATUS_IN_PROGRESS:
        return
    page = _page(instance)
    from django.contrib.auth import get_user_model

    for reviewer in (
        get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct()
    ):
        if task.may_act(page, reviewer):
            notify(
                reviewer,
                f"待您审核：《{_title(page)}》（{task.name}）",
                f"提交人：{actor_name(instance.workflow_state.requested_by)}",
                _edit_url(page),
                task_state=instance,
            )


OUTCOMES = {
    TaskState.STATUS_APPROVED: "已由{actor}审核通过",
    TaskState.STATUS_REJECTED: "已由{actor}退回修改",
    TaskState.STATUS_CANCELLED: "提交人已撤回",
}


@receiver(task_approved)
@receiver(task_rejected)
@receiver(task_cancelled)
def settle_review_notices(sender, instance, user=None, **kwargs):
    """One reviewer's decision answers every "待您审核" notice of that step (R-FLOW-6): the
    other reviewers' notices are marked read and say who decided, so that 通知（n） counts only
    what still waits for them."""
    outcome = OUTCOMES.get(instance.status)
    if outcome is None:
        return
    note = outcome.format(actor=actor_name(user or instance.finished_by))
    now = timezone.now()
    for notice in Notice.objects.awaiting_decision_of(instance):
        notice.read_at = now
        notice.text = f"{notice.text}（{note}）" if notice.text else note
        notice.save(update_fields=["read_at", "text"])


@receiver(task_rejected)
def tell_submitter_returned(sender, instance, user=None, **kwargs):
    page = _page(instance)
    notify(
        instance.workflow_state.requested_by,
        f"退回修改：《{_title(page)}》",
        returned_by(instance, user),
        _edit_url(page),
    )


def returned_by(task_state, user):
    """Who returned it, once: "科长审核（孙建华）退回。意见：…"; the automatic screening, which is
    both the step and the actor, gives its own comment: "自动审查未通过：" and every finding."""
    if user is None:
        return task_state.comment or f"{task_state.task.name}未通过，退回。"
    return f"{task_state.task.name}（{actor_name(user)}）退回。意见：{task_state.comment or '无'}"


@receiver(task_approved)
def tell_submitter_step_approved(sender, instance, user=None, **kwargs):
    if not isinstance(instance.task.specific, ReviewTask):
        return
    page = _page(instance)
    comment = f"意见：{instance.comment}" if instance.comment else ""
    notify(
        instance.workflow_state.requested_by,
        f"{instance.task.name}通过：《{_title(page)}》",
        f"审核人：{actor_name(user)}。{comment}",
        _edit_url(page),
    )


@receiver(workflow_approved)
def tell_submitter_approved(sender, instance, user=None, **kwargs):
    page = content(instance.content_object)
    page.refresh_from_db()
    if page.live and not page.has_unpublished_changes:
        title, text = "已发布", f"终审：{actor_name(user)}。"
    else:
        revision = page.get_latest_revision()
        when = revision.approved_go_live_at if revision else None
        title = "审核通过，定时发布"
        local = timezone.localtime(when) if when else None
        text = f"终审：{actor_name(user)}。发布时间：{local:%Y-%m-%d %H:%M}" if local else title
    notify(
        instance.requested_by,
        f"{title}：《{_title(page)}》",
        text,
        _edit_url(page),
    )
