"""What filing and deciding a request does (R-FLOW-5, R-FLOW-4, R-FLOW-6).

Every function asks the request's table first (``lifecycle.REQUEST``; filing asks ``rules``),
the table the buttons read, so a crafted request gets no further than the buttons would have
allowed; it raises ``Refused`` with the Chinese sentence to show and takes the next state from
the table. Each step is a
``ChangeRequestStep`` row and an entry in the page's history (Wagtail's audit log); the people
concerned are told through ``govsite.notices.delivery.notify``.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import Page

from govsite.lifecycles import Refused

from . import notices, rules
from .lifecycle import APPROVE, REQUEST, RETURN, RETURN_NEEDS_COMMENT, WITHDRAW
from .models import (
    OPEN_STATUSES,
    ChangeKind,
    ChangeRequest,
    ChangeRequestStep,
    ChangeStatus,
    Decision,
    RetainedPage,
    Stage,
)

LOG_FILED = "govsite.change_request.file"
LOG_APPROVED = "govsite.change_request.approve"
LOG_RETURNED = "govsite.change_request.return"
LOG_WITHDRAWN = "govsite.change_request.withdraw"
LOG_RETAINED = "govsite.change_request.retain"


def _log(change_request, action, user, page=None, **extra):
    page = page or change_request.page.specific
    data = {
        "change_request": {
            "id": change_request.pk,
            "kind": change_request.kind,
            "kind_label": change_request.kind_label,
            "status": change_request.status,
            **extra,
        }
    }
    return log(instance=page, action=action, user=user, data=data)


def file_request(user, page, kind, reason):
    """An officer or chief of the owning section asks to unpublish or delete ``page``."""
    reason = (reason or "").strip()
    with transaction.atomic():
        refusal = rules.refusal_to_file(user, page, kind)
        if refusal:
            raise Refused(refusal)
        if not reason:
            raise Refused("请填写理由。")
        try:
            with transaction.atomic():
                change_request = ChangeRequest.objects.create(
                    page=page, kind=kind, reason=reason, requested_by=user, status=REQUEST.initial
                )
        except IntegrityError:
            # Someone filed for the same page a moment ago.
            raise Refused(rules.refusal_to_file(user, page, kind) or "请稍后再试。") from None
        ChangeRequestStep.objects.create(
            request=change_request, stage=Stage.REQUEST, decision=Decision.FILED, actor=user
        )
        _log(change_request, LOG_FILED, user, reason=reason)
    notices.tell_reviewers(change_request)
    return change_request


def _locked(change_request):
    return (
        ChangeRequest.objects.select_for_update().select_related("page").get(pk=change_request.pk)
    )


def _decide(change_request, user, action, decision, comment):
    """Lock the request, check that the table lets ``user`` take ``action`` now, record the
    step; the locked request, the table's row, the review step and the ``ChangeRequestStep``."""
    change_request = _locked(change_request)
    row = REQUEST.check(action, user, change_request, Refused)
    if action == RETURN and not comment:
        raise Refused(RETURN_NEEDS_COMMENT)
    stage = rules.stage_of(change_request)
    step = ChangeRequestStep.objects.create(
        request=change_request, stage=stage, decision=decision, actor=user, comment=comment
    )
    return change_request, row, stage, step


def _move(change_request, row, step):
    """The request to the table's next state; closed (办结) when that state is not open."""
    change_request.status = row.target
    fields = ["status"]
    if row.target not in OPEN_STATUSES:
        change_request.closed_at = step.acted_at
        fields.append("closed_at")
    change_request.save(update_fields=fields)


def approve(change_request, user, comment=""):
    """同意: the chief's approval passes the request to the director; the director's takes
    effect (``_take_effect``) in the same transaction."""
    comment = (comment or "").strip()
    with transaction.atomic():
        change_request, row, stage, step = _decide(
            change_request, user, APPROVE, Decision.APPROVED, comment
        )
        _move(change_request, row, step)
        _log(change_request, LOG_APPROVED, user, stage=stage, comment=comment)
        done = row.target == ChangeStatus.DONE
        cancelled = _take_effect(change_request, user) if done else None
    notices.tell_requester(change_request, step)
    if change_request.is_open:
        notices.tell_reviewers(change_request)
    if cancelled is not None:
        notices.tell_review_cancelled(cancelled, change_request)
    return change_request


def return_request(change_request, user, comment):
    """退回: either reviewer closes the request with a comment saying why."""
    comment = (comment or "").strip()
    with transaction.atomic():
        change_request, row, stage, step = _decide(
            change_request, user, RETURN, Decision.RETURNED, comment
        )
        _move(change_request, row, step)
        _log(change_request, LOG_RETURNED, user, stage=stage, comment=comment)
    notices.tell_requester(change_request, step)
    return change_request


def withdraw(change_request, user):
    """The requester takes back a request nobody has decided yet."""
    with transaction.atomic():
        change_request = _locked(change_request)
        row = REQUEST.check(WITHDRAW, user, change_request, Refused)
        step = ChangeRequestStep.objects.create(
            request=change_request, stage=Stage.REQUEST, decision=Decision.WITHDRAWN, actor=user
        )
        _move(change_request, row, step)
        _log(change_request, LOG_WITHDRAWN, user)
    return change_request


def _take_effect(change_request, director):
    """The final approval: unpublish, and for deletion retain and lock (never ``delete()``).

    Wagtail's ``UnpublishPageAction`` checks ``can_unpublish``, which nobody but a superuser
    holds on content (``ColumnPermissionTester``): as for publishing in
    ``govsite.workflow.actions``, the two approvals are the permission, so the check is
    skipped. A review of an edit still running on the page is cancelled, so that it cannot
    put the page back online; the cancelled workflow state is returned for the notice.
    """
    page = change_request.page.specific
    cancelled = page.current_workflow_state
    if cancelled is not None:
        cancelled.cancel(user=director)
    if page.live:
        UnpublishPageAction(page, user=director).execute(skip_permission_checks=True)
    if change_request.kind == ChangeKind.DELETE:
        now = timezone.now()
        # An approved revision waiting for its publication time must never go live.
        page.revisions.update(approved_go_live_at=None)
        Page.objects.filter(pk=page.pk).update(locked=True, locked_at=now, locked_by=director)
        page.refresh_from_db()
        RetainedPage.objects.create(page=page, request=change_request, retained_at=now)
        log(instance=page, action="wagtail.lock", user=director)
        _log(change_request, LOG_RETAINED, director, page=page)
    return cancelled
