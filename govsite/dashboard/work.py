"""What waits for a member of staff, as the dashboard and its full lists show it (第七、十四条;
R-FLOW-2..6, R-MAIL-2..5).

Each kind of work is a ``WorkList``: the objects it is made of as one ordered query (newest or
most urgent first), and the rows a slice of them becomes, read together — the pages in one
query, their sub-columns in another — so that the dashboard costs the same queries with two
drafts waiting or thirty. Who is asked to review what, and which letters a section handles, are
answered where they are decided (``workflow`` through Wagtail's ``TaskState.reviewable_by``,
``mailbox``'s QuerySet methods); nothing here decides them again.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter

from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, TaskState, WorkflowState, get_default_page_content_type

from govsite.assessment import freshness
from govsite.assessment import rules as assessment_rules
from govsite.columns.explorer import explorable_page_policy
from govsite.mailbox import rules as mailbox_rules
from govsite.mailbox.admin.worklist import worklist
from govsite.mailbox.models import Letter
from govsite.reporting import rules as reporting_rules
from govsite.reporting.models import Item, ItemStep
from govsite.sections.models import Section
from govsite.sections.rules import reviews_anything
from govsite.workflow.wording import DRAFT, IN_REVIEW, LIVE_AND, RETURNED, WITHDRAWN

# The dashboard shows the first rows of each list and links to the whole of it.
DASHBOARD_ROWS = 10
# Rows on a page of a full list.
PAGE_SIZE = 50
# A reviewer's comment is shown up to this many characters on the dashboard (whole in the editor).
NOTE_LENGTH = 300


@dataclass
class Row:
    """One line of a dashboard list: what it is, where it stands, and where to act on it."""

    title: str
    url: str
    place: str = ""  # the sub-column of a page, the section of a letter
    status: str = ""
    when: datetime | date | None = None
    by: str = ""  # who submitted it, who returned it
    note: str = ""  # the reviewer's comment
    overdue: bool = False
    links: list = field(default_factory=list)  # [(label, url)], beside the title


def display_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _sub_columns(pages):
    """``{page id: title of the page above it}`` — for content, its sub-column — one query."""
    steplen = Page.steplen
    parents = {page.path[:-steplen] for page in pages if len(page.path) > steplen}
    titles = dict(Page.objects.filter(path__in=parents).values_list("path", "title"))
    return {page.pk: titles.get(page.path[:-steplen], "") for page in pages}


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _page_rows(states, describe, workflow_state=lambda state: state):
    """The rows of ``states`` (workflow or task states) whose page still exists: the pages and
    their sub-columns read together (two queries), each row titled and linked to its page's
    editor, with what ``describe(state)`` adds (``Row`` fields)."""
    pages = Page.objects.in_bulk([int(workflow_state(state).object_id) for state in states])
    places = _sub_columns(pages.values())
    rows = []
    for state in states:
        page = pages.get(int(workflow_state(state).object_id))
        if page is not None:
            rows.append(
                Row(
                    title=page.get_admin_display_title(),
                    url=_edit_url(page),
                    place=places[page.pk],
                    **describe(state, page),
                )
            )
    return rows


def _page_states():
    return WorkflowState.objects.filter(base_content_type_id=get_default_page_content_type().pk)


def _submitted_by_or_owned(user):
    """Workflow states of pages ``user`` submitted or owns (Wagtail's rule for "my pages in a
    workflow"; the id is cast because the state keeps it as text)."""
    owned = Page.objects.filter(owner=user, pk=Cast(OuterRef("object_id"), IntegerField()))
    return Q(requested_by=user) | Exists(owned)


class WorkList:
    key = ""
    heading = ""
    empty = ""
    # Who has this kind of work at all: the panel is left out for everyone else.

    def applies_to(self, user):
        raise NotImplementedError

    def queryset(self, user):
        raise NotImplementedError

    def rows(self, objects, user):
        raise NotImplementedError

    def full_url(self):
        return reverse("dashboard_list", args=[self.key])

    def first(self, user, limit=DASHBOARD_ROWS):
        """(rows, total): the first ``limit`` rows, and how many there are in all — counted
        every time, so that the dashboard costs the same queries with two rows or two hundred."""
        objects = self.queryset(user)
        return self.rows(list(objects[:limit]), user), objects.count()


def writes_pages(user):
    """Whoever may add or change pages somewhere: an officer, a chief, 综合科-网站管理."""
    return explorable_page_policy.user_has_any_permission(user, {"add", "change"})


class PageWorkList(WorkList):
    """The work of whoever writes pages: their drafts, returns and submissions."""

    def applies_to(self, user):
        return writes_pages(user)


class Drafts(PageWorkList):
    """我的草稿: pages the user owns with changes not yet submitted for review (第七条: the
    officer drafts; nothing is public until the review chain passes it)."""

    key = "drafts"
    heading = "我的草稿"
    empty = "没有未提交的草稿。"

    def queryset(self, user):
        in_workflow = (
            _page_states()
            .active()
            .filter(object_id=Cast(OuterRef("pk"), CharField(max_length=255)))
        )
        return (
            Page.objects.filter(owner=user, has_unpublished_changes=True)
            .exclude(Exists(in_workflow))
            .order_by(F("latest_revision_created_at").desc(nulls_last=True), "-pk")
        )

    def rows(self, pages, user):
        places = _sub_columns(pages)
        return [
            Row(
                title=page.get_admin_display_title(),
                url=_edit_url(page),
                place=places[page.pk],
                status=self.status(page),
                when=page.latest_revision_created_at,
            )
            for page in pages
        ]

    @staticmethod
    def status(page):
        """A draft is in no review: 已发布 with changes not yet submitted, 已撤销 or 草稿."""
        if page.live:
            return LIVE_AND[DRAFT]
        return WITHDRAWN if page.first_published_at is not None else DRAFT


class Returned(PageWorkList):
    """退回给我的: submissions a reviewer (or the automatic screening) returned for changes,
    with who returned them and their comment (R-FLOW-2, R-FLOW-6)."""

    key = "returned"
    heading = "退回给我的"
    empty = "没有退回给您的稿件。"

    def queryset(self, user):
        return (
            _page_states()
            .filter(status=WorkflowState.STATUS_NEEDS_CHANGES)
            .filter(_submitted_by_or_owned(user))
            .select_related("current_task_state__task", "current_task_state__finished_by")
            .order_by(F("current_task_state__finished_at").desc(nulls_last=True), "-pk")
        )

    def rows(self, states, user):
        def describe(state, page):
            returned = state.current_task_state
            if returned is None:
                return {"status": RETURNED}
            return {
                "status": f"{RETURNED}（{returned.task.name}）",
                "when": returned.finished_at,
                "by": display_name(returned.finished_by),
                "note": (returned.comment or "")[:NOTE_LENGTH],
            }

        return _page_rows(states, describe)


class Submitted(PageWorkList):
    """我提交的稿件: the user's submissions in review, and the step they wait at."""

    key = "submitted"
    heading = "我提交的稿件"
    empty = "没有审核中的稿件。"

    def queryset(self, user):
        return (
            _page_states()
            .filter(status=WorkflowState.STATUS_IN_PROGRESS)
            .filter(_submitted_by_or_owned(user))
            .select_related("current_task_state__task")
            .order_by(F("current_task_state__started_at").desc(nulls_last=True), "-pk")
        )

    def rows(self, states, user):
        def describe(state, page):
            waiting = state.current_task_state
            if waiting is None:
                return {"status": IN_REVIEW, "when": state.created_at}
            return {"status": f"{IN_REVIEW}：等待{waiting.task.name}", "when": waiting.started_at}

        return _page_rows(states, describe)


class Reviews(WorkList):
    """待我审核: the reviews waiting for the user at their step — the chief of the owning
    section first, then its director (第十四条) — as the review steps themselves decide
    (``ReviewTask.get_task_states_user_can_moderate``, a fixed number of queries)."""

    key = "reviews"
    heading = "待我审核"
    empty = "没有等待您审核的稿件。"

    def applies_to(self, user):
        return reviews_anything(user)

    def queryset(self, user):
        return (
            TaskState.objects.reviewable_by(user)
            .select_related("task", "workflow_state__requested_by")
            .order_by("-started_at", "-pk")
        )

    def rows(self, task_states, user):
        def describe(state, page):
            preview = reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, state.task_id])
            return {
                "status": f"待{state.task.name}",
                "when": state.started_at,
                "by": display_name(state.workflow_state.requested_by),
                "links": [("预览", preview)],
            }

        return _page_rows(task_states, describe, attrgetter("workflow_state"))


class Letters(WorkList):
    """本科室承办的来信: letters in hand assigned to the user's sections (a director's: the
    sections they supervise), by deadline, overdue first (R-MAIL-3). Read through
    ``LetterQuerySet``; which letter a section may act on stays ``mailbox.rules``'."""

    key = "letters"
    heading = "本科室承办的来信"
    empty = "本科室没有在办的来信。"

    def applies_to(self, user):
        return mailbox_rules.takes_part(user)

    def heading_for(self, user):
        """本科室 for a section's officers and chief, 分管科室 for a director; for 综合科's
        site managers, who belong to no section, the mailbox's counts alone."""
        if Section.objects.supervised_by(user).exists():
            return "分管科室承办的来信"
        if Section.objects.with_member(user).exists():
            return self.heading
        return "沟通信箱"

    def queryset(self, user):
        sections = Section.objects.with_member(user).values("pk")
        return (
            Letter.objects.in_hand()
            .filter(section__in=sections)
            .select_related("section")
            .order_by(F("deadline").asc(nulls_last=True), "received_at", "pk")
        )

    def rows(self, letters, user):
        today = timezone.localdate()
        return [
            Row(
                title=f"{letter.tracking_number} {letter.subject}",
                url=reverse("mailbox_letter", args=[letter.pk]),
                place=letter.section.name if letter.section else "",
                status=letter.get_status_display(),
                when=letter.deadline,
                overdue=letter.is_overdue(today),
            )
            for letter in letters
        ]

    def full_url(self):
        return reverse("mailbox_letters")

    @staticmethod
    def counts(user):
        """The mailbox's own counts of what waits for ``user`` (待分类, 待拟写答复, 超期…),
        each linking to the list: whoever triages sees the letters to triage."""
        return worklist(user)


class ItemWorkList(WorkList):
    """信息报送 (第十六条): items waiting for the user, each linking to its page; the rows read
    the items with their sections and writers (one query) and, where asked, their latest
    return (one more)."""

    def item_queryset(self, items):
        return items.select_related("section", "author")

    def rows(self, items, user):
        return [
            Row(
                title=item.title,
                url=reverse("reporting_items:item", args=[item.pk]),
                place=item.section.name,
                status=item.get_status_display(),
                when=self.when(item),
                by=display_name(item.author),
            )
            for item in items
        ]

    def when(self, item):
        return item.submitted_at


class ItemsToApprove(ItemWorkList):
    """待我审核的信息: items of the chief's section waiting for them, oldest first."""

    key = "info_approval"
    heading = "待我审核的信息"
    empty = "没有等待您审核的信息。"

    def applies_to(self, user):
        return reporting_rules.approves_anything(user)

    def queryset(self, user):
        items = Item.objects.awaiting_approval_by(user)
        return self.item_queryset(items).order_by("submitted_at", "pk")

    def full_url(self):
        return reverse("reporting_items:index") + "?status=awaiting_chief"


class ItemsToAdopt(ItemWorkList):
    """待采用的信息: items every section sent to 综合科, oldest first (R-INFO-2)."""

    key = "info_queue"
    heading = "待采用的信息"
    empty = "没有待采用的信息。"

    def applies_to(self, user):
        return reporting_rules.is_adopting_staff(user)

    def queryset(self, user):
        return self.item_queryset(Item.objects.awaiting_office()).order_by("sent_at", "pk")

    def when(self, item):
        return item.sent_at

    def full_url(self):
        return reverse("reporting_items:queue")


class ItemsReturned(ItemWorkList):
    """退回给我的信息: items the user wrote that their chief or 综合科 returned, with who
    returned them and why."""

    key = "info_returned"
    heading = "退回给我的信息"
    empty = "没有退回给您的信息。"
    RETURNS = (ItemStep.Action.RETURN, ItemStep.Action.RETURN_OFFICE)

    def applies_to(self, user):
        return reporting_rules.writes_anything(user)

    def queryset(self, user):
        items = Item.objects.returned_to(user)
        return self.item_queryset(items).order_by("-decided_at", "-updated_at", "-pk")

    def rows(self, items, user):
        latest = {}
        steps = (
            ItemStep.objects.filter(item__in=items, action__in=self.RETURNS)
            .select_related("actor")
            .order_by("at", "pk")
        )
        for step in steps:
            latest[step.item_id] = step
        rows = super().rows(items, user)
        for item, row in zip(items, rows, strict=True):
            step = latest.get(item.pk)
            if step is not None:
                row.status = f"{item.get_status_display()}（{step.get_action_display()}）"
                row.when, row.by = step.at, display_name(step.actor)
                row.note = step.comment[:NOTE_LENGTH]
        return rows


class StaleColumns(WorkList):
    """本科室待更新栏目 (第十五条; R-ASSESS-1): the user's sections' columns that are overdue,
    blank or due soon, the most urgent first (a director's: the sections they supervise); for
    综合科, the office's counts against the 单项否决 lines besides. Read from one freshness
    snapshot (``govsite.assessment.freshness``), a fixed number of queries."""

    key = "columns"
    heading = "本科室待更新栏目"
    empty = "本科室的栏目都按时更新了。"

    def applies_to(self, user):
        return assessment_rules.may_view_freshness(user)

    def heading_for(self, user):
        """本科室待更新栏目, or 分管科室待更新栏目 for a director."""
        return f"{assessment_rules.own_label(user)}待更新栏目"

    def queryset(self, user, snap=None, own=None):
        """The columns waiting for an update (a list: the rule is computed, not stored)."""
        snap = snap or freshness.snapshot()
        if own is None:
            own = list(assessment_rules.own_sections(user))
        ids = {section.pk for section in own}
        waiting = [s for s in snap.states if s.section_id in ids and s.state != freshness.OK]
        return freshness.by_urgency(waiting)

    def rows(self, states, user):
        return [
            Row(
                title=state.full_title,
                url=state.url,
                place=state.section_name,
                # an overdue row is marked 已超期 by the list itself: it adds how long
                status=f"{state.days_overdue} 天"
                if state.state == freshness.OVERDUE
                else (state.state_label),
                when=state.due,
                overdue=state.state == freshness.OVERDUE,
            )
            for state in states
        ]

    def first(self, user, limit=DASHBOARD_ROWS):
        summary = self.summary(user, limit)
        return summary["rows"], summary["total"]

    def summary(self, user, limit=DASHBOARD_ROWS):
        """The first rows, how many in all, whether the user has sections of their own, and
        the office's counts for 综合科 (else None): from one snapshot."""
        snap = freshness.snapshot()
        own = list(assessment_rules.own_sections(user))
        waiting = self.queryset(user, snap, own)
        office = freshness.office_counts(snap=snap) if assessment_rules.sees_office(user) else None
        return {
            "rows": self.rows(waiting[:limit], user),
            "total": len(waiting),
            "heading": self.heading_for(user) if own else "栏目更新",
            "empty": f"{assessment_rules.own_label(user)}的栏目都按时更新了。" if own else "",
            "office": office,
        }

    def full_url(self):
        return reverse("assessment_freshness")


# In the dashboard's order (the notices, 我的通知, come after them).
WORK_LISTS = [
    Drafts(),
    Returned(),
    Reviews(),
    Submitted(),
    Letters(),
    ItemsToApprove(),
    ItemsToAdopt(),
    ItemsReturned(),
    StaleColumns(),
]
BY_KEY = {work.key: work for work in WORK_LISTS}
