"""The review chain (第十三、十四、十七条; R-FLOW-1..3, R-FMT-3) as Wagtail workflow tasks.

One workflow, attached to the root of the tree and to every other model under review (a
survey), runs: automatic screening → 信息中心 sign-off (only for audio or video) → chief of the
owning section → director in charge of it. The last approval publishes (see
``actions.publish_approved``). Who may act is decided in ``rules``.

An object under review that is not a page (a survey) tells the chain two things: the column it
belongs to, whose owning section reviews it (``owning_column()``, and ``owning_columns(ids)``
for many at once), and the texts to screen (``screened_texts()``: (field, text) pairs).
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from wagtail.log_actions import LogContext
from wagtail.models import Page, Task, TaskState

from govsite.screening.engine import blocking, screen_page, screen_text
from govsite.sections.rules import (
    SectionOwners,
    is_chief_of,
    is_director_of,
    owning_section,
    signs_off_media,
)

from . import rules

AUTOMATIC_ACTOR = "自动审查"


def content(obj):
    """The object under review as its own type: a page's specific page, any other object as is."""
    return obj.specific if isinstance(obj, Page) else obj


def reviewed_column(obj):
    """The page whose owning section reviews ``obj``: a page is its own; any other object (a
    survey) names the column it belongs to (``owning_column()``)."""
    return obj if isinstance(obj, Page) else obj.owning_column()


def review_section(obj):
    """The section whose chief and director review ``obj`` (第十四条); None for nothing."""
    column = reviewed_column(obj) if obj is not None else None
    return owning_section(column) if column is not None else None


def screen(obj):
    """R-FLOW-1: every finding for ``obj`` — a page's (``screen_page``), or for another object
    the lexicon's findings in each of its ``screened_texts()``."""
    if isinstance(obj, Page):
        return screen_page(obj)
    return [finding for field, text in obj.screened_texts() for finding in screen_text(text, field)]


def review_sections(workflow_states):
    """{workflow state pk: the section reviewing its object} for many states, in a fixed
    number of queries however many there are: the pages read together, the columns of other
    objects asked once per model (``owning_columns``), the sections from ``SectionOwners``.
    A state whose object is gone is left out."""
    by_type = defaultdict(list)
    for state in workflow_states:
        by_type[state.base_content_type_id].append(state)
    owners = SectionOwners()
    sections = {}
    for content_type_id, states in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        ids = [state.object_id for state in states]
        if issubclass(model, Page):
            pages = Page.objects.in_bulk([int(object_id) for object_id in ids])
            columns = {str(pk): page for pk, page in pages.items()}
        else:
            columns = model.owning_columns(ids)
        for state in states:
            column = columns.get(state.object_id)
            if column is not None:
                sections[state.pk] = owners.of(column)
    return sections


class ScreeningTaskState(TaskState):
    """The findings of one automatic screening, kept with the step (R-FLOW-4)."""

    findings = models.JSONField("审查发现", default=list, blank=True)

    class Meta:
        verbose_name = "自动审查记录"
        verbose_name_plural = "自动审查记录"


class ScreeningTask(Task):
    """R-FLOW-1: screening runs on submit and approves or returns by itself.

    Nothing that fails screening reaches a human reviewer. The findings, each with its rule,
    field and position, are the comment the author sees.
    """

    task_state_class = ScreeningTaskState

    class Meta:
        verbose_name = "自动审查"
        verbose_name_plural = "自动审查"

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        findings = screen(task_state.revision.as_object())
        task_state.findings = [finding.as_dict() for finding in findings]
        task_state.save(update_fields=["findings"])
        # Logged as nobody's action, not the submitter's: the actor is 自动审查 (R-FLOW-4).
        with LogContext(user=None):
            if blocking(findings):
                lines = "\n".join(f.describe() for f in blocking(findings))
                task_state.reject(user=None, update=False, comment=f"自动审查未通过：\n{lines}")
            else:
                task_state.approve(user=None, update=False, comment=_passed(findings))
        return task_state

    @classmethod
    def get_description(cls):
        return "提交时自动检查密级、涉密标识、禁止内容和严重错别字，发现问题直接退回作者。"


def _passed(findings):
    """The approval comment: passed, with the non-blocking quality warnings (R-SCREEN-4)."""
    if not findings:
        return "自动审查通过。"
    lines = "\n".join(finding.describe() for finding in findings)
    return f"自动审查通过，另有{len(findings)}条质量提示：\n{lines}"


def screen_unscreened_version(workflow_state, user=None):
    """R-FLOW-1: a version reaches a human only once screened. A version resubmitted after a
    return restarts at the step that returned it, so it is screened here first; the rejected
    screening state is returned when it fails, ``None`` when it may go on."""
    revision = workflow_state.content_object.get_latest_revision()
    already = ScreeningTaskState.objects.filter(
        workflow_state=workflow_state, revision=revision, status=TaskState.STATUS_APPROVED
    )
    screening = ScreeningTask.objects.filter(
        workflow_tasks__workflow=workflow_state.workflow, active=True
    ).first()
    if screening is None or already.exists():
        return None
    task_state = screening.start(workflow_state, user=user)
    return task_state if task_state.status == TaskState.STATUS_REJECTED else None


class ReviewTask(Task):
    """A human review step: who may act is computed from the page, or from the column another
    object belongs to (R-FLOW-2, R-FLOW-3)."""

    class Meta:
        abstract = True

    def start(self, workflow_state, user=None):
        failed = screen_unscreened_version(workflow_state, user=user)
        if failed is not None:
            return failed
        return self.start_review(workflow_state, user=user)

    def start_review(self, workflow_state, user=None):
        return super().start(workflow_state, user=user)

    def may_review(self, obj, user, section=None):
        """Whether ``user`` holds this step's role for ``obj`` (reviewed by ``section``, read
        from ``obj`` when not given); each step says which."""
        return False

    def may_act(self, obj, user):
        if not (user.is_authenticated and user.is_active):
            return False
        obj = content(obj)
        if rules.is_own_submission(user, obj.current_workflow_state):
            return False
        return self.may_review(obj, user)

    def user_can_access_editor(self, obj, user):
        return self.may_act(obj, user)

    def locked_for_user(self, obj, user):
        return not self.may_act(obj, user)

    def user_can_lock(self, obj, user):
        return self.may_act(obj, user)

    def get_actions(self, obj, user):
        if not self.may_act(obj, user):
            return []
        return [
            ("reject", "退回修改", True),
            ("approve", "审核通过", False),
            ("approve", "通过并附意见", True),
        ]

    def on_action(self, task_state, user, action_name, **kwargs):
        # A crafted request gets no further than the buttons would have allowed.
        if not self.may_act(task_state.workflow_state.content_object, user):
            raise PermissionDenied
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        """待我审核 (the dashboard, the menu's count): ``may_act`` for every review waiting at
        this step — pages and surveys alike — in a fixed number of queries however many wait
        (``review_sections``)."""
        if not (user.is_authenticated and user.is_active):
            return TaskState.objects.none()
        in_progress = list(
            TaskState.objects.filter(task=self, status=TaskState.STATUS_IN_PROGRESS).select_related(
                "workflow_state", "workflow_state__current_task_state__revision"
            )
        )
        if not in_progress:
            return TaskState.objects.none()
        sections = review_sections([state.workflow_state for state in in_progress])
        mine = [
            state.pk
            for state in in_progress
            if state.workflow_state_id in sections
            and not rules.is_own_submission(user, state.workflow_state)
            and self.may_review(None, user, sections[state.workflow_state_id])
        ]
        return TaskState.objects.filter(pk__in=mine)


class MediaSignOffTask(ReviewTask):
    """第十七条 / R-FMT-3: audio and video go online only after 信息中心 signs them off.

    The step is skipped for content that carries neither.
    """

    class Meta:
        verbose_name = "信息中心审核"
        verbose_name_plural = "信息中心审核"

    def start_review(self, workflow_state, user=None):
        revision = workflow_state.content_object.get_latest_revision()
        if rules.carries_audio_or_video(revision.as_object()):
            return super().start_review(workflow_state, user=user)
        # Skipped without being submitted to anyone: nobody is asked to review it.
        return TaskState.objects.create(
            workflow_state=workflow_state,
            revision=revision,
            task=self,
            status=TaskState.STATUS_SKIPPED,
            finished_at=timezone.now(),
            comment="不含音频、视频，无需信息中心审核。",
        )

    def may_review(self, obj, user, section=None):
        return signs_off_media(user)

    @classmethod
    def get_description(cls):
        return "含音频、视频的信息由信息中心科长审核签发；不含的自动跳过。"


class ChiefReviewTask(ReviewTask):
    """第十四条: the chief of the section that owns the column reviews first."""

    class Meta:
        verbose_name = "科长审核"
        verbose_name_plural = "科长审核"

    def may_review(self, obj, user, section=None):
        return is_chief_of(user, section or review_section(obj))

    @classmethod
    def get_description(cls):
        return "由栏目负责科室的科长审核。"


class DirectorReviewTask(ReviewTask):
    """第十四条: the director in charge of the owning section reviews second."""

    class Meta:
        verbose_name = "主管主任审核"
        verbose_name_plural = "主管主任审核"

    def may_review(self, obj, user, section=None):
        return is_director_of(user, section or review_section(obj))

    @classmethod
    def get_description(cls):
        return "由分管栏目负责科室的主管主任审核，通过后发布。"
