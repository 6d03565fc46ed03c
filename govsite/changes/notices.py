"""Notices of unpublishing and deletion requests (R-FLOW-6): reviewers learn what waits for
them, the requester learns each decision with the reviewer's comment, in the admin and by
e-mail (``govsite.notices.delivery.notify``)."""

from django.urls import reverse

from govsite.notices.delivery import actor_name, notify

from . import rules
from .models import ChangeKind, ChangeStatus, Decision, Stage


def detail_url(change_request):
    return reverse("govsite_changes:detail", args=[change_request.pk])


def _title(change_request):
    return change_request.page.get_admin_display_title()


def tell_reviewers(change_request):
    """Whoever may decide the request's current step."""
    stage = rules.stage_of(change_request)
    if stage is None:
        return
    for reviewer in rules.reviewers(change_request):
        notify(
            reviewer,
            f"待您审核：{change_request.kind_label}申请《{_title(change_request)}》"
            f"（{Stage(stage).label}）",
            f"申请人：{actor_name(change_request.requested_by)}。理由：{change_request.reason}",
            detail_url(change_request),
        )


def tell_requester(change_request, step):
    """The requester, of a reviewer's decision and its comment."""
    reviewer = f"{step.get_stage_display()}（{actor_name(step.actor)}）"
    comment = f"意见：{step.comment or '无'}"
    title = _title(change_request)
    if step.decision == Decision.RETURNED:
        subject = f"申请被退回：{change_request.kind_label}《{title}》"
        text = f"{reviewer}退回。{comment}"
    elif change_request.status == ChangeStatus.DONE:
        done = "已删除（留存）" if change_request.kind == ChangeKind.DELETE else "已撤销发布"
        subject = f"{done}：《{title}》"
        text = f"{reviewer}同意，申请办结。{comment}"
    else:
        subject = f"科长同意：{change_request.kind_label}申请《{title}》"
        text = f"{reviewer}同意，转主管主任审核。{comment}"
    notify(change_request.requested_by, subject, text, detail_url(change_request))


def tell_review_cancelled(workflow_state, change_request):
    """The author of an edit whose review ended because the page went offline."""
    notify(
        workflow_state.requested_by,
        f"审核流程已终止：《{_title(change_request)}》",
        f"该页面的{change_request.kind_label}申请已获批准，正在进行的修改审核随之终止。",
        detail_url(change_request),
    )
