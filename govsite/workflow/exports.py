"""审核记录 (第十三条 "谁发布、谁负责"; R-FLOW-4): who wrote each version of a page, who screened,
approved or returned it, when and with what comment, and who published it and when.

The record is read from what Wagtail already keeps — revisions, workflow and task states, the
page log — and is never stored a second time, so there is nothing here to edit or delete. This
module says what the record holds; who may read it is in ``rules``, and ``views`` only shows and
sends it.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import datetime

from django.db.models import IntegerField, Q
from django.db.models.functions import Cast
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
from govsite.exports.tables import fill_table_sheet, neutralised

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
#
# Read for many pages at once: a fixed number of queries whatever the number of pages or rows
# (SPEC §12), so that the office-wide record and its export cost the same per screen.

# The office-wide record is read and written this many pages at a time.
PAGES_AT_ONCE = 200


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


def _prefixes(page):
    path, steplen = page.path or "", page.steplen
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def _columns_and_sections(pages):
    """{page id: (column title, section name)}: the deepest sub-column holding each page (or
    that it is) and its owner — ``sections.rules.owning_section`` for many pages, one query."""
    prefixes = {page.pk: _prefixes(page) for page in pages}
    columns = {
        path: (title, name or "")
        for path, title, name in SubColumnPage.objects.filter(
            path__in={prefix for paths in prefixes.values() for prefix in paths}
        ).values_list("path", "title", "owner_section__name")
    }
    found = {}
    for page_id, paths in prefixes.items():
        deepest = next((columns[path] for path in reversed(paths) if path in columns), ("", ""))
        found[page_id] = deepest
    return found


def _grouped(items, key):
    grouped = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return grouped


def page_records(pages):
    """{page id: ``PageRecord``} for ``pages``: every version of each and everything done to
    it, oldest first. Eight queries, however many pages and rows."""
    pages = list(pages)
    if not pages:
        return {}
    ids = [page.pk for page in pages]
    object_ids = [str(pk) for pk in ids]
    content_type = get_default_page_content_type()
    places = _columns_and_sections(pages)
    revisions_of = _grouped(
        Revision.objects.filter(base_content_type=content_type, object_id__in=object_ids)
        .select_related("user")
        .order_by("created_at", "pk"),
        lambda revision: int(revision.object_id),
    )
    task_states_of = _grouped(
        TaskState.objects.filter(
            workflow_state__base_content_type=content_type,
            workflow_state__object_id__in=object_ids,
        )
        .select_related("task", "finished_by", "workflow_state")
        .order_by("started_at", "pk"),
        lambda task_state: int(task_state.workflow_state.object_id),
    )
    workflow_states_of = _grouped(
        WorkflowState.objects.filter(base_content_type=content_type, object_id__in=object_ids)
        .select_related("requested_by")
        .order_by("pk"),
        lambda workflow_state: int(workflow_state.object_id),
    )
    entries_of = _grouped(
        PageLogEntry.objects.filter(page_id__in=ids, action__in=LOGGED_STEPS)
        .select_related("user")
        .order_by("timestamp", "pk"),
        lambda entry: entry.page_id,
    )
    steps_of = _grouped(
        ChangeRequestStep.objects.filter(request__page_id__in=ids)
        .select_related("request", "actor")
        .order_by("acted_at", "pk"),
        lambda step: step.request.page_id,
    )
    return {
        page.pk: _page_record(
            page,
            *places[page.pk],
            revisions_of[page.pk],
            task_states_of[page.pk],
            workflow_states_of[page.pk],
            entries_of[page.pk],
            steps_of[page.pk],
        )
        for page in pages
    }


def page_record(page):
    """Every version of ``page`` and everything done to it, oldest first."""
    return page_records([page])[page.pk]


def _page_record(page, column, section, revisions, task_states, workflow_states, entries, steps):
    """One page's record from what was read for it (``page_records``)."""
    versions = {revision.pk: (number, revision) for number, revision in enumerate(revisions, 1)}
    events = []

    def add(at, order, pk, revision_id, step, actor, decision, comment=""):
        events.append(((at, order, pk), revision_id, step, actor, decision, comment or ""))

    for revision in revisions:
        add(revision.created_at, _SAVED, revision.pk, revision.pk, "保存版本",
            display_name(revision.user), "已保存")  # fmt: skip

    first_revision_of = {}
    for task_state in task_states:
        first_revision_of.setdefault(task_state.workflow_state_id, task_state.revision_id)
        add(task_state.finished_at or task_state.started_at, _STEP, task_state.pk,
            task_state.revision_id, task_state.task.name, _task_actor(task_state),
            DECISIONS.get(task_state.status, task_state.status), task_state.comment)  # fmt: skip

    for workflow_state in workflow_states:
        add(workflow_state.created_at, _SUBMITTED, workflow_state.pk,
            first_revision_of.get(workflow_state.pk), "提交审核",
            display_name(workflow_state.requested_by), "已提交")  # fmt: skip

    scheduled_by = {}
    published_by, published_at = "", None
    for entry in entries:
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
    for step in steps:
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


def _as_page_id(field):
    return Cast(field, output_field=IntegerField())


def touched_pages(start, end):
    """The pages something in the record happened to in [start, end), in tree order: a
    queryset, so that a screen counts and slices it in the database."""
    pages = get_default_page_content_type()
    touched = [
        Revision.objects.filter(base_content_type=pages, created_at__gte=start, created_at__lt=end)
        .annotate(page_id=_as_page_id("object_id"))
        .values("page_id"),
        WorkflowState.objects.filter(
            base_content_type=pages, created_at__gte=start, created_at__lt=end
        )
        .annotate(page_id=_as_page_id("object_id"))
        .values("page_id"),
        TaskState.objects.filter(workflow_state__base_content_type=pages)
        .filter(
            Q(started_at__gte=start, started_at__lt=end)
            | Q(finished_at__gte=start, finished_at__lt=end)
        )
        .annotate(page_id=_as_page_id("workflow_state__object_id"))
        .values("page_id"),
        PageLogEntry.objects.filter(
            action__in=LOGGED_STEPS, timestamp__gte=start, timestamp__lt=end
        ).values("page_id"),
        ChangeRequestStep.objects.filter(acted_at__gte=start, acted_at__lt=end).values(
            "request__page_id"
        ),
    ]
    # One UNION that the database reads first, then the pages by primary key (an OR of five
    # IN conditions made SQLite test every page of the site).
    first, *rest = touched
    return Page.objects.filter(pk__in=first.union(*rest), depth__gt=1).order_by("path")


def rows_of(pages, start, end):
    """The rows of ``pages`` (in their order) whose time falls in [start, end)."""
    records = page_records(pages)
    return [row for page in pages for row in records[page.pk].rows if start <= row.at < end]


def office_record(start, end, progress=None):
    """Every row of every page whose time falls in [start, end), page by page (tree order),
    read ``PAGES_AT_ONCE`` pages at a time; ``progress(pages read)`` after each."""
    pages = touched_pages(start, end)
    last_path, done = "", 0
    while True:
        batch = list(pages.filter(path__gt=last_path)[:PAGES_AT_ONCE])
        if not batch:
            return
        yield from rows_of(batch, start, end)
        last_path, done = batch[-1].path, done + len(batch)
        if progress:
            progress(done)


# How it is written ----------------------------------------------------------------------------

FIELDS = [field.name for field in fields(RecordRow)]


def _cell(row, name):
    value = getattr(row, name)
    if name == "version":
        return f"第{value}版" if value else ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    return value


# The writers report their progress every PROGRESS_EVERY rows.
PROGRESS_EVERY = 1000


def _counted(rows, progress, counter):
    for row in rows:
        yield row
        counter[0] += 1
        if progress and counter[0] % PROGRESS_EVERY == 0:
            progress(counter[0])


def write_csv(rows, out, progress=None):
    """Write the record to the binary file ``out``; return the number of rows. UTF-8 with a
    byte-order mark, so that Excel on a Chinese Windows opens it as such."""
    counter = [0]
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow([HEADERS[name] for name in FIELDS])
    for row in _counted(rows, progress, counter):
        writer.writerow([neutralised(_cell(row, name)) for name in FIELDS])
    text.flush()
    text.detach()  # ``out`` stays open for the caller
    return counter[0]


def write_xlsx(rows, out, progress=None):
    """Write the record to the binary file ``out``; return the number of rows. A write-only
    workbook: memory stays flat whatever the number of rows."""
    from openpyxl import Workbook

    def values(row):
        for name in FIELDS:
            if name == "at":
                yield timezone.localtime(row.at).replace(tzinfo=None, microsecond=0)
            else:
                yield _cell(row, name)

    counter = [0]
    workbook = Workbook(write_only=True)
    fill_table_sheet(
        workbook.create_sheet(),
        "审核记录",
        [HEADERS[name] for name in FIELDS],
        (list(values(row)) for row in _counted(rows, progress, counter)),
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
    workbook.save(out)
    return counter[0]


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
