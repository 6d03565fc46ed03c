"""What the review chain says to staff (第十三、十四条): status words that mean what happened, the
name of a step with who reviews it, and the confirmation after every decision saying what
happens next. One place for these words: the page listings, the editor, the workflow dialog and
the messages after submitting or deciding all read them here.

Wagtail's own words ("在用", "发布+草稿", "页面…已被更新。", "经由周雨桐") describe its data model;
staff need to know whether the public sees the page, and who has it now.
"""

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from wagtail.models import TaskState, WorkflowState

from govsite.notices.delivery import actor_name

from .models import (
    ChiefReviewTask,
    DirectorReviewTask,
    MediaSignOffTask,
    ScreeningTask,
    review_section,
)

PUBLISHED = "已发布"
DRAFT = "草稿"
IN_REVIEW = "审核中"
RETURNED = "已退回"
WITHDRAWN = "已撤销"  # published once, then taken offline (unpublished)
SCHEDULED = "定时发布"
EXPIRED = "已过期"

# A live page whose newer version is somewhere in the chain: the public still sees the old one.
LIVE_AND = {
    SCHEDULED: "已发布（新版本定时发布）",
    IN_REVIEW: "已发布（新版本审核中）",
    RETURNED: "已发布（新版本已退回）",
    DRAFT: "已发布（有未提交的修改）",
}


def active_workflow_state(page):
    """The page's review in progress or returned, from the listing's prefetch when there is one
    (``prefetch_workflow_states``: no query per row)."""
    prefetched = getattr(page, "_current_workflow_states", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return page.current_workflow_state


def page_status(page):
    """One of 已发布 / 草稿 / 审核中 / 已退回 / 已撤销 (定时发布, 已过期 where they apply);
    for a live page with a newer version, 已发布 followed by where that version stands."""
    state = active_workflow_state(page)
    if page.approved_schedule:
        pending = SCHEDULED
    elif state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        pending = IN_REVIEW
    elif state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        pending = RETURNED
    elif page.live and page.has_unpublished_changes:
        pending = DRAFT
    else:
        pending = None
    if page.live:
        return LIVE_AND[pending] if pending else PUBLISHED
    if page.expired:
        return EXPIRED
    if pending and pending != DRAFT:
        return pending
    return WITHDRAWN if page.first_published_at else DRAFT


def reviewer_of(task, page):
    """Who holds ``task`` for ``page``, in the office's words: "文书科科长",
    "主管主任（分管文书科）", "信息中心科长"; empty for the automatic screening."""
    task = task.specific
    if isinstance(task, MediaSignOffTask):
        return "信息中心科长"
    if not isinstance(task, ChiefReviewTask | DirectorReviewTask):
        return ""
    section = review_section(page)  # a page's owner, or a survey's column's
    if section is None:
        return ""
    if isinstance(task, ChiefReviewTask):
        return f"{section.name}科长"
    return f"主管主任（分管{section.name}）"


def step_name(task, page):
    """ "科长审核（文书科科长）": the step and who reviews it."""
    reviewer = reviewer_of(task, page)
    return f"{task.name}（{reviewer}）" if reviewer else task.name


def where_it_stands(workflow_state):
    """The heading of the workflow dialog: the step that has the page now, since when, and who
    submitted it — "科长审核（文书科科长）审核中，3分钟前送审。提交人：周雨桐"."""
    task_state = workflow_state.current_task_state
    page = workflow_state.content_object
    submitter = actor_name(workflow_state.requested_by, nobody="")
    by = f"提交人：{submitter}" if submitter else ""
    if task_state is None:
        return by
    step = step_name(task_state.task, page)
    if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        heading = f"{step}{naturaltime(task_state.finished_at)}退回修改。"
    elif workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
        heading = f"正在{step}，{naturaltime(task_state.started_at)}送审。"
    else:
        heading = f"{workflow_state.get_status_display()}：{step}。"
    return f"{heading}{by}"


def after_submit(page):
    """The confirmation after 提交审核: where the page went, who will see it."""
    state = page.current_workflow_state
    title = page.get_admin_display_title()
    if state is None or state.current_task_state is None:
        return f"已提交审核：《{title}》。"
    step = step_name(state.current_task_state.task, page)
    return f"已提交审核：《{title}》已通过自动审查，已送{step}。审核结果会通知您。"


def after_decision(page, action_name):
    """The confirmation after a reviewer's decision (审核通过 / 通过并附意见 / 退回修改), read after
    the decision was recorded: what happens next."""
    page.refresh_from_db()
    title = page.get_admin_display_title()
    if action_name == "reject":
        return f"已退回作者修改：《{title}》。作者会收到通知和您的意见。"
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        step = state.current_task_state.task.name if state.current_task_state else "下一步审核"
        return f"已通过：《{title}》，已送{step}。"
    revision = page.get_latest_revision()
    go_live_at = revision.approved_go_live_at if revision else None
    if go_live_at and go_live_at > timezone.now():
        return (
            f"已通过审核：《{title}》将于{timezone.localtime(go_live_at):%Y-%m-%d %H:%M}定时发布。"
        )
    return f"已通过审核并发布：《{title}》。"


def returned_by_screening(obj):
    """The screening state that has just returned ``obj`` (a page or a survey), if that is
    where it stands (R-FLOW-1: nothing that fails screening reaches a reviewer)."""
    state = obj.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_REJECTED:
        return None
    return task_state.specific if isinstance(task_state.task.specific, ScreeningTask) else None


def screening_refusal(task_state):
    """The editor's message after screening returned a submission, with every finding."""
    lines = [line for line in task_state.comment.splitlines()[1:] if line]
    return format_html(
        "自动审查未通过，已退回，未送科长审核。请修改后重新提交：{}",
        format_html_join("", "<br>{}", ((line,) for line in lines)),
    )
