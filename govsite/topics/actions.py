"""What applying for, deciding, opening and archiving a 专栏 does (R-TOPIC-1, R-FLOW-4).

Every function asks the application's table first (``lifecycle.APPLICATION``; filing asks
``rules``), so a crafted request gets no further than the buttons would have allowed; it
raises ``Refused`` with the Chinese sentence to show. Each step is a ``TopicApplicationStep``
row; the people concerned are told through ``govsite.notices.delivery.notify``.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from govsite import lifecycles
from govsite.columns.models import ContentKind

from . import notices, rules
from .lifecycle import APPLICATION, APPROVE, RESUBMIT, RETURN, RETURN_NEEDS_COMMENT, WITHDRAW
from .models import (
    OPEN_STATUSES,
    Decision,
    Stage,
    Status,
    TopicApplication,
    TopicApplicationStep,
    TopicBoard,
    TopicPage,
    topic_column,
)

LOG_OPENED = "govsite.topic.open"
LOG_ARCHIVED = "govsite.topic.archive"
FIELDS = ("title", "purpose", "starts_on", "ends_on", "banner", "boards", "slug")


class Refused(lifecycles.Refused):
    """The rules refuse the action; ``message`` says why, in Chinese (``fields``: by field)."""

    def __init__(self, message, fields=None):
        super().__init__(message)
        self.fields = fields or {}


def _check_content(values, exclude=None):
    found = rules.problems(values, timezone.localdate(), exclude=exclude)
    if found:
        raise Refused("；".join(found.values()), found)


def _step(application, stage, decision, actor, comment="", snapshot=None):
    return TopicApplicationStep.objects.create(
        application=application,
        round=application.round,
        stage=stage,
        decision=decision,
        actor=actor,
        comment=comment,
        snapshot=snapshot,
    )


def file_application(user, section, values):
    """An officer or chief of ``section`` applies for a 专栏 (``values``: ``FIELDS``)."""
    with transaction.atomic():
        refusal = rules.refusal_to_apply(user, section)
        if refusal:
            raise Refused(refusal)
        _check_content(values)
        try:
            with transaction.atomic():
                application = TopicApplication.objects.create(
                    section=section,
                    requested_by=user,
                    status=APPLICATION.initial,
                    **{field: values.get(field) for field in FIELDS},
                )
        except IntegrityError:
            # Another application took the same address a moment ago.
            raise Refused(rules.slug_refusal(values.get("slug", "")) or "请稍后再试。") from None
        _step(application, Stage.APPLICANT, Decision.FILED, user, snapshot=application.snapshot())
    notices.tell_reviewers(application)
    return application


def _locked(application):
    return (
        TopicApplication.objects.select_for_update()
        .select_related("section", "requested_by")
        .get(pk=application.pk)
    )


def _move(application, target, step):
    application.status = target
    fields = ["status"]
    if target not in OPEN_STATUSES:
        application.closed_at = step.acted_at
        fields.append("closed_at")
    application.save(update_fields=fields)


def approve(application, user, comment=""):
    """同意: to the next step; the last approval opens the 专栏 (``open_topic``)."""
    comment = (comment or "").strip()
    with transaction.atomic():
        application = _locked(application)
        row = APPLICATION.check(APPROVE, user, application, Refused)
        target = row.next_state(application)
        if target == Status.OPENED:
            # The address may have been taken since the application was filed.
            refusal = rules.slug_refusal(application.slug, exclude=application)
            if refusal:
                raise Refused(f"{refusal}（请退回申请人修改网址名称。）")
        stage = rules.stage_of(application)
        step = _step(application, stage, Decision.APPROVED, user, comment)
        _move(application, target, step)
        if target == Status.OPENED:
            open_topic(application, user)
    notices.tell_applicant(application, step)
    if application.is_pending:
        notices.tell_reviewers(application)
    return application


def return_application(application, user, comment):
    """退回: any reviewer sends the application back to its applicant, saying why."""
    comment = (comment or "").strip()
    with transaction.atomic():
        application = _locked(application)
        APPLICATION.check(RETURN, user, application, Refused)
        if not comment:
            raise Refused(RETURN_NEEDS_COMMENT)
        step = _step(application, rules.stage_of(application), Decision.RETURNED, user, comment)
        _move(application, Status.RETURNED, step)
    notices.tell_applicant(application, step)
    return application


def resubmit(application, user, values):
    """A returned application, revised by its applicant, goes to the section's chief again."""
    with transaction.atomic():
        application = _locked(application)
        APPLICATION.check(RESUBMIT, user, application, Refused)
        _check_content(values, exclude=application)
        for field in FIELDS:
            setattr(application, field, values.get(field))
        application.round += 1
        application.status = Status.AWAITING_CHIEF
        application.closed_at = None
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            raise Refused(rules.slug_refusal(application.slug) or "请稍后再试。") from None
        _step(
            application,
            Stage.APPLICANT,
            Decision.RESUBMITTED,
            user,
            snapshot=application.snapshot(),
        )
    notices.tell_reviewers(application)
    return application


def withdraw(application, user):
    with transaction.atomic():
        application = _locked(application)
        row = APPLICATION.check(WITHDRAW, user, application, Refused)
        step = _step(application, Stage.APPLICANT, Decision.WITHDRAWN, user)
        _move(application, row.next_state(application), step)
    return application


def open_topic(application, director):
    """The final approval: the 专栏 is created under 热点专题 as a ``TopicPage`` owned by the
    applying section, with its banner, purpose, period and 板块, and published at once (its
    ownership grants follow through ``columns.signal_handlers.follow_ownership``). It stays
    empty until the section publishes content through the review chain."""
    column = topic_column()
    if column is None:
        raise Refused("网站上没有“热点专题”栏目，无法开设专栏；请联系综合科-网站管理。")
    page = TopicPage(
        title=application.title,
        slug=application.slug,
        intro=application.purpose,
        purpose=application.purpose,
        starts_on=application.starts_on,
        ends_on=application.ends_on,
        banner=application.banner,
        owner_section=application.section,
        content_kind=ContentKind.DYNAMIC,
        live=False,
    )
    page.boards = [TopicBoard(name=name) for name in application.board_names()]
    column.add_child(instance=page)
    revision = page.save_revision(user=director)
    revision.publish(user=director, skip_permission_checks=True)
    application.topic = page
    application.save(update_fields=["topic"])
    log(
        instance=page,
        action=LOG_OPENED,
        user=director,
        data={"application": {"id": application.pk, "section": application.section.name}},
    )
    return page


def archive_topic(page, now=None):
    """已归档 (R-TOPIC-1): the period of ``page`` has ended. It stays at its address, says
    已归档, takes no new content (``models.TopicPermissionTester``) and moves to 往期专题;
    publishing the change purges the stored copies that show it (govsite/publishing)."""
    now = now or timezone.now()
    with transaction.atomic():
        page = TopicPage.objects.select_for_update().get(pk=page.pk)
        if page.archived_at is not None:
            return page
        page.archived_at = now
        revision = page.save_revision(log_action=False)
        revision.publish(skip_permission_checks=True)
        log(instance=page, action=LOG_ARCHIVED, user=None)
    notices.tell_archived(page)
    return page


def archive_ended(today=None):
    """Archive every open 专栏 whose period ended before ``today``; the archived pages."""
    today = today or timezone.localdate()
    due = list(TopicPage.objects.due_for_archiving(today).order_by("pk"))
    return [archive_topic(page) for page in due]
