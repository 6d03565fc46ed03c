"""The review chain (第十三、十四、十七条; R-FLOW-1..3, R-FMT-3) as Wagtail workflow tasks.

One workflow, attached to the root of the tree, runs: automatic screening → 信息中心 sign-off
(only for audio or video) → chief of the owning section → director in charge of it. The last
approval publishes (see ``actions.publish_approved``). Who may act is decided in ``rules``.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from wagtail.log_actions import LogContext
from wagtail.models import Page, Task, TaskState

from govsite.screening.engine import blocking, screen_page
from govsite.sections.rules import (
    SectionOwners,
    is_chief_of,
    is_director_of,
    owning_section,
    signs_off_media,
)

from . import rules

AUTOMATIC_ACTOR = "自动审查"


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
        page = task_state.revision.as_object()
        findings = screen_page(page)
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
    """A human review step: who may act is computed from the page (R-FLOW-2, R-FLOW-3)."""

    class Meta:
        abstract = True

    def start(self, workflow_state, user=None):
        failed = screen_unscreened_version(workflow_state, user=user)
        if failed is not None:
            return failed
        return self.start_review(workflow_state, user=user)

    def start_review(self, workflow_state, user=None):
        return super().start(workflow_state, user=user)

    def may_review(self, page, user, section=None):
        """Whether ``user`` holds this step's role for ``page`` (owned by ``section``, read from
        the page when not given); each step says which."""
        return False

    def may_act(self, obj, user):
        if not (user.is_authenticated and user.is_active):
            return False
        page = obj.specific
        if rules.is_own_submission(user, page.current_workflow_state):
            return False
        return self.may_review(page, user)

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
        this step, in a fixed number of queries however many wait — the pages read together,
        their sections from ``SectionOwners``."""
        if not (user.is_authenticated and user.is_active):
            return TaskState.objects.none()
        in_progress = list(
            TaskState.objects.filter(task=self, status=TaskState.STATUS_IN_PROGRESS).select_related(
                "workflow_state", "workflow_state__current_task_state__revision"
            )
        )
        if not in_progress:
            return TaskState.objects.none()
        pages = Page.objects.in_bulk([int(state.workflow_state.object_id) for state in in_progress])
        owners = SectionOwners()
        mine = [
            state.pk
            for state in in_progress
            if (page := pages.get(int(state.workflow_state.object_id))) is not None
            and not rules.is_own_submission(user, state.workflow_state)
            and self.may_review(page, user, owners.of(page))
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

    def may_review(self, page, user, section=None):
        return signs_off_media(user)

    @classmethod
    def get_description(cls):
        return "含音频、视频的信息由信息中心科长审核签发；不含的自动跳过。"


class ChiefReviewTask(ReviewTask):
    """第十四条: the chief of the section that owns the column reviews first."""

    class Meta:
        verbose_name = "科长审核"
        verbose_name_plural = "科长审核"

    def may_review(self, page, user, section=None):
        return is_chief_of(user, section or owning_section(page))

    @classmethod
    def get_description(cls):
        return "由栏目负责科室的科长审核。"


class DirectorReviewTask(ReviewTask):
    """第十四条: the director in charge of the owning section reviews second."""

    class Meta:
        verbose_name = "主管主任审核"
        verbose_name_plural = "主管主任审核"

    def may_review(self, page, user, section=None):
        return is_director_of(user, section or owning_section(page))

    @classmethod
    def get_description(cls):
        return "由分管栏目负责科室的主管主任审核，通过后发布。"
