"""审核记录 (第十三条 "谁发布、谁负责"; R-FLOW-4): who wrote each version of a page, who screened,
approved or returned it, when and with what comment, and who published it and when.

The record is read from what Wagtail already keeps — revisions, workflow and task states, the
page log — and is never stored a second time, so there is nothing here to edit or delete. This
module says what the record holds; who may read it is in ``rules``, and ``views`` only shows and
sends it.
"""

import csv
import io
from dataclasses import dataclass, fields
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import (
    Page,
    PageLogEntry,
    Revision,
    TaskState,
    WorkflowState,
    get_default_page_content_type,
)

from govsite.changes.models import ChangeRequestStep, Decision
from govsite.columns.models import SubColumnPage
from govsite.exports.tables import fill_table_sheet, neutralised, workbook_bytes
from govsite.sections.rules import owning_section

from .models import AUTOMATIC_ACTOR, ScreeningTask

SYSTEM_ACTOR = "系统"
SCHEDULER_ACTOR = "定时发布任务"

DECISIONS = {
    TaskState.STATUS_APPROVED: "通过",
    TaskState.STATUS_REJECTED: "退回",
    TaskState.STATUS_SKIPPED: "跳过",
    TaskState.STATUS_CANCELLED: "取消",
    TaskState.STATUS_IN_PROGRESS: "待审核",
}

# Page log actions that belong in the record: (step, decision).
LOGGED_STEPS = {
    "wagtail.workflow.resume": ("重新提交审核", "已提交"),
    "wagtail.publish": ("发布", "已发布"),
    "wagtail.publish.schedule": ("定时发布", "已计划"),
    "wagtail.publish.scheduled": ("定时发布", "已发布"),
    "wagtail.schedule.cancel": ("取消定时发布", "已取消"),
    "wagtail.unpublish": ("取消发布", "已下线"),
    "wagtail.unpublish.scheduled": ("到期下线", "已下线"),
}
PUBLISHED = ("wagtail.publish", "wagtail.publish.scheduled")

# Within one instant, a save comes before its submission, which comes before the steps.
_SAVED, _SUBMITTED, _STEP, _LOGGED = range(4)


@dataclass(frozen=True)
class RecordRow:
    """One line of the record: one thing done to one version of one page."""

    page_id: int
    title: str
    column: str
    section: str
    version: int | None
    author: str
    step: str
    actor: str
    at: datetime
    decision: str
    comment: str


HEADERS = {
    "page_id": "页面ID",
    "title": "标题（该版本）",
    "column": "栏目",
    "section": "来源科室",
    "version": "版本",
    "author": "版本作者",
    "step": "环节",
    "actor": "处理人",
    "at": "时间",
    "decision": "结果",
    "comment": "意见",
}


@dataclass
class PageRecord:
    """A page's whole record and, from it, who published the page last and when."""

    page: Page
    column: str
    section: str
    rows: list[RecordRow]
    published_by: str
    published_at: datetime | None


def display_name(user, blank=SYSTEM_ACTOR):
    if user is None:
        return blank
    return user.get_full_name() or user.get_username()


# What it holds --------------------------------------------------------------------------------


def _column_and_section(page):
    column = page if page.specific_class is SubColumnPage else None
    if column is None:
        column = page.get_ancestors().type(SubColumnPage).last()
    section = owning_section(page)
    return (column.title if column else ""), (section.name if section else "")


def _task_actor(task_state):
    if task_state.finished_by_id:
        return display_name(task_state.finished_by)
    if task_state.finished_at and task_state.task.specific_class is ScreeningTask:
        return AUTOMATIC_ACTOR
    return ""


def _latest_at(revisions, moment, default=None):
    """The id of the newest of ``revisions`` (oldest first) saved by ``moment``."""
    saved = [revision.pk for revision in revisions if revision.created_at <= moment]
    return saved[-1] if saved else default


def change_request_steps(page):
    return (
        ChangeRequestStep.objects.filter(request__page_id=page.pk)
        .select_related("request", "actor")
        .order_by("acted_at", "pk")
    )


def page_record(page):
    """Every version of ``page`` and everything done to it, oldest first."""
    column, section = _column_and_section(page)
    revisions = list(
        Revision.objects.for_instance(page).select_related("user").order_by("created_at", "pk")
    )
    versions = {revision.pk: (number, revision) for number, revision in enumerate(revisions, 1)}
    events = []

    def add(at, order, pk, revision_id, step, actor, decision, comment=""):
        events.append(((at, order, pk), revision_id, step, actor, decision, comment or ""))

    for revision in revisions:
        add(revision.created_at, _SAVED, revision.pk, revision.pk, "保存版本",
            display_name(revision.user), "已保存")  # fmt: skip

    first_revision_of = {}
    for task_state in (
        TaskState.objects.for_instance(page)
        .select_related("task", "finished_by")
        .order_by("started_at", "pk")
    ):
        first_revision_of.setdefault(task_state.workflow_state_id, task_state.revision_id)
        add(task_state.finished_at or task_state.started_at, _STEP, task_state.pk,
            task_state.revision_id, task_state.task.name, _task_actor(task_state),
            DECISIONS.get(task_state.status, task_state.status), task_state.comment)  # fmt: skip

    for workflow_state in WorkflowState.objects.for_instance(page).select_related("requested_by"):
        add(workflow_state.created_at, _SUBMITTED, workflow_state.pk,
            first_revision_of.get(workflow_state.pk), "提交审核",
            display_name(workflow_state.requested_by), "已提交")  # fmt: skip

    scheduled_by = {}
    published_by, published_at = "", None
    for entry in (
        PageLogEntry.objects.filter(page_id=page.pk, action__in=LOGGED_STEPS)
        .select_related("user")
        .order_by("timestamp", "pk")
    ):
        step, decision = LOGGED_STEPS[entry.action]
        actor, comment = display_name(entry.user), ""
        if entry.action == "wagtail.publish.schedule":
            scheduled_by[entry.revision_id] = actor
            go_live_at = parse_datetime((entry.data.get("revision") or {}).get("go_live_at") or "")
            if go_live_at:
                comment = f"计划发布时间：{timezone.localtime(go_live_at):%Y-%m-%d %H:%M}"
        elif entry.action == "wagtail.publish.scheduled":
            actor = actor if entry.user else SCHEDULER_ACTOR
            if entry.revision_id in scheduled_by:
                comment = f"按计划发布，终审：{scheduled_by[entry.revision_id]}"
        elif entry.action == "wagtail.unpublish.scheduled":
            actor = actor if entry.user else SCHEDULER_ACTOR
            comment = "到达下线时间，自动下线"
        if entry.action in PUBLISHED:
            # A scheduled publication answers to whoever approved it for that time.
            published_by = actor if entry.user else scheduled_by.get(entry.revision_id, actor)
            published_at = entry.timestamp
        revision_id = entry.revision_id
        if entry.action == "wagtail.workflow.resume":
            # Wagtail logs a resubmission against the version that was returned; what is
            # resubmitted is the version saved since.
            revision_id = _latest_at(revisions, entry.timestamp, default=revision_id)
        add(entry.timestamp, _LOGGED, entry.pk, revision_id, step, actor, decision, comment)

    # 撤销发布/删除申请 (R-FLOW-5): filing, each reviewer's decision and a withdrawal, against
    # the version that was current at the time.
    for step in change_request_steps(page):
        label = step.request.get_kind_display()
        comment = step.request.reason if step.decision == Decision.FILED else step.comment
        add(step.acted_at, _STEP, step.pk, _latest_at(revisions, step.acted_at),
            f"{label}申请：{step.get_stage_display()}", display_name(step.actor),
            step.get_decision_display(), comment)  # fmt: skip

    events.sort(key=lambda event: event[0])
    rows = []
    for (at, _order, _pk), revision_id, step, actor, decision, comment in events:
        number, revision = versions.get(revision_id, (None, None))
        rows.append(
            RecordRow(
                page_id=page.pk,
                title=revision.object_str if revision else page.title,
                column=column,
                section=section,
                version=number,
                author=display_name(revision.user) if revision else "",
                step=step,
                actor=actor,
                at=at,
                decision=decision,
                comment=comment,
            )
        )
    return PageRecord(page, column, section, rows, published_by, published_at)


def office_record(start, end):
    """Every row of every page whose time falls in [start, end), page by page (tree order)."""
    pages = get_default_page_content_type()
    touched = [
        Revision.objects.filter(
            base_content_type=pages, created_at__gte=start, created_at__lt=end
        ).values_list("object_id", flat=True),
        WorkflowState.objects.filter(
            base_content_type=pages, created_at__gte=start, created_at__lt=end
        ).values_list("object_id", flat=True),
        TaskState.objects.filter(workflow_state__base_content_type=pages)
        .filter(
            Q(started_at__gte=start, started_at__lt=end)
            | Q(finished_at__gte=start, finished_at__lt=end)
        )
        .values_list("workflow_state__object_id", flat=True),
        PageLogEntry.objects.filter(
            action__in=LOGGED_STEPS, timestamp__gte=start, timestamp__lt=end
        ).values_list("page_id", flat=True),
        ChangeRequestStep.objects.filter(acted_at__gte=start, acted_at__lt=end).values_list(
            "request__page_id", flat=True
        ),
    ]
    page_ids = {int(pk) for queryset in touched for pk in queryset}
    rows = []
    for page in Page.objects.filter(pk__in=page_ids, depth__gt=1).order_by("path"):
        rows += [row for row in page_record(page).rows if start <= row.at < end]
    return rows


# How it is written ----------------------------------------------------------------------------

FIELDS = [field.name for field in fields(RecordRow)]


def _cell(row, name):
    value = getattr(row, name)
    if name == "version":
        return f"第{value}版" if value else ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    return value


def write_csv(rows):
    """UTF-8 with a byte-order mark, so that Excel on a Chinese Windows opens it as such."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([HEADERS[name] for name in FIELDS])
    for row in rows:
        writer.writerow([neutralised(_cell(row, name)) for name in FIELDS])
    return buffer.getvalue().encode("utf-8")


def write_xlsx(rows):
    from openpyxl import Workbook

    def values(row):
        for name in FIELDS:
            if name == "at":
                yield timezone.localtime(row.at).replace(tzinfo=None, microsecond=0)
            else:
                yield _cell(row, name)

    workbook = Workbook()
    fill_table_sheet(
        workbook.active,
        "审核记录",
        [HEADERS[name] for name in FIELDS],
        (list(values(row)) for row in rows),
        number_formats={"I": "yyyy-mm-dd hh:mm:ss"},
        widths={
            "A": 8,
            "B": 36,
            "C": 14,
            "D": 10,
            "E": 7,
            "F": 10,
            "G": 14,
            "H": 10,
            "I": 20,
            "J": 8,
            "K": 60,
        },  # fmt: skip
    )
    return workbook_bytes(workbook)
