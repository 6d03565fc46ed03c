"""R-FLOW-1..3, R-FMT-3: the review chain's rules, including what must be refused."""

import socket

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from wagtail.documents import get_document_model
from wagtail.models import TaskState, Workflow, WorkflowState

from govsite.columns.models import ArticleAttachment, ArticlePage, Classification
from govsite.notices.models import Notice
from govsite.testing.helpers import add_article, login, section, sub_column

from ..bootstrap import REVIEW_WORKFLOW
from ..models import ChiefReviewTask


def submit(page, user):
    page.save_revision(user=user)
    workflow_state = page.get_workflow().start(page, user)
    workflow_state.refresh_from_db()
    return workflow_state


def current_task(workflow_state):
    workflow_state.refresh_from_db()
    return workflow_state.current_task_state.task.specific


def act(workflow_state, user, action="approve", comment=""):
    task = current_task(workflow_state)
    task.on_action(workflow_state.current_task_state, user, action, comment=comment)
    workflow_state.refresh_from_db()
    return workflow_state


@pytest.fixture
def people(make_user):
    return {
        "officer": make_user("mishu_officer", "秘书科-信息员"),
        "chief": make_user("mishu_chief", "秘书科-科长"),
        "other_chief": make_user("wenshu_chief", "文书科-科长"),
        "director": make_user("director_a", "主管主任", supervises=["秘书科", "文书科"]),
        "other_director": make_user("director_b", "主管主任", supervises=["综合科", "督查室"]),
        "media": make_user("xinxi_chief", "信息中心-科长"),
    }


def draft(people, title="区政府办公室召开专题会议", **fields):
    return add_article(
        sub_column("领导重要讲话"), title=title, owner=people["officer"], publish=False, **fields
    )


@pytest.mark.django_db
def test_the_workflow_is_attached_to_the_root_with_four_steps(site_tree):
    workflow = Workflow.objects.get(name=REVIEW_WORKFLOW)
    assert [t.name for t in workflow.tasks] == [
        "自动审查",
        "信息中心审核",
        "科长审核",
        "主管主任审核",
    ]
    assert sub_column("政策法规").get_workflow() == workflow


@pytest.mark.django_db
def test_full_chain_publishes_after_the_director(people):
    page = draft(people)
    state = submit(page, people["officer"])
    assert current_task(state).name == "科长审核"  # screened and media step skipped
    statuses = dict(state.task_states.values_list("task__name", "status"))
    assert statuses["自动审查"] == TaskState.STATUS_APPROVED
    assert statuses["信息中心审核"] == TaskState.STATUS_SKIPPED

    act(state, people["chief"])
    assert current_task(state).name == "主管主任审核"
    page.refresh_from_db()
    assert not page.live

    act(state, people["director"], comment="同意发布")
    page.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert page.live and page.first_published_at is not None
    # The director holds no raw publish permission, yet the last approval published.
    assert not page.permissions_for_user(people["director"]).can_publish()


@pytest.mark.django_db
def test_screening_returns_classified_content_before_any_human(people):
    page = draft(people, title="关于内部资料管理的通知")
    state = submit(page, people["officer"])
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    screening = state.current_task_state
    assert screening.status == TaskState.STATUS_REJECTED
    assert screening.finished_by is None
    assert "「内部资料」" in screening.comment and "标题第3个字处" in screening.comment
    assert screening.specific.findings[0]["matched"] == "内部资料"
    assert not ChiefReviewTask.objects.get().get_task_states_user_can_moderate(people["chief"])
    assert not Notice.objects.filter(recipient=people["chief"]).exists()
    assert Notice.objects.filter(recipient=people["officer"], title__startswith="退回修改").exists()


@pytest.mark.django_db
def test_screening_returns_anything_not_public(people):
    page = draft(people, classification=Classification.INTERNAL)
    state = submit(page, people["officer"])
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert "密级为“内部”" in state.current_task_state.comment


@pytest.mark.django_db
def test_only_the_owning_sections_chief_may_act(people):
    state = submit(draft(people), people["officer"])
    task = current_task(state)
    page = state.content_object
    assert [a[0] for a in task.get_actions(page, people["chief"])] == [
        "reject",
        "approve",
        "approve",
    ]
    for someone in ("other_chief", "director", "officer", "media"):
        assert task.get_actions(page, people[someone]) == [], someone
    with pytest.raises(PermissionDenied):
        act(state, people["other_chief"])
    assert current_task(state).name == "科长审核"


@pytest.mark.django_db
def test_only_a_supervising_director_may_act(people):
    state = act(submit(draft(people), people["officer"]), people["chief"])
    task = current_task(state)
    assert task.get_actions(state.content_object, people["other_director"]) == []
    with pytest.raises(PermissionDenied):
        act(state, people["other_director"])
    assert list(task.get_task_states_user_can_moderate(people["director"])) == [
        state.current_task_state
    ]
    assert not task.get_task_states_user_can_moderate(people["other_director"]).exists()


@pytest.mark.django_db
def test_nobody_approves_their_own_submission(people, make_user):
    """A chief who is also the author, and a director who submitted, cannot approve."""
    chief = people["chief"]
    page = add_article(sub_column("领导重要讲话"), owner=chief, publish=False)
    state = submit(page, chief)
    task = current_task(state)
    assert task.get_actions(page, chief) == []
    with pytest.raises(PermissionDenied):
        act(state, chief)
    deputy = make_user("mishu_chief2", "秘书科-科长")
    act(state, deputy)
    assert current_task(state).name == "主管主任审核"

    both = make_user("both", "秘书科-信息员", "主管主任", supervises=["秘书科"])
    page2 = add_article(sub_column("重点工程"), owner=both, publish=False)
    state2 = act(submit(page2, both), chief)
    assert current_task(state2).get_actions(page2, both) == []


def closed_port():
    """A loopback port nothing listens on: the mail server is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_a_mail_server_that_is_down_neither_blocks_nor_undoes_the_review(
    people, settings, caplog, django_capture_on_commit_callbacks
):
    """R-FLOW-6: the e-mail is a copy of the notice. The chief's return goes through, the
    officer's notice is there, and the failed e-mail is logged."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 5},
        }
    }
    submitted = submit(draft(people), people["officer"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        state = act(submitted, people["chief"], "reject", "请补充会议时间。")
    assert callbacks, "the e-mail waits for the commit"
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    notice = Notice.objects.get(recipient=people["officer"], title__contains="退回修改")
    assert "请补充会议时间。" in notice.text
    assert "通知邮件未能发出" in caplog.text and people["officer"].email in caplog.text


@pytest.mark.django_db
def test_moving_the_column_moves_the_reviewers(people):
    state = submit(draft(people), people["officer"])
    column = sub_column("领导重要讲话")
    column.owner_section = section("文书科")
    column.save_revision().publish()
    task = current_task(state)
    assert task.get_actions(state.content_object, people["chief"]) == []
    assert task.get_actions(state.content_object, people["other_chief"]) != []


@pytest.mark.django_db
def test_return_with_comment_then_resubmit(people, django_capture_on_commit_callbacks):
    page = draft(people)
    submitted = submit(page, people["officer"])
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves after commit
        state = act(submitted, people["chief"], "reject", "请补充会议时间。")
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    notice = Notice.objects.filter(recipient=people["officer"]).first()
    assert "退回修改" in notice.title and "请补充会议时间。" in notice.text
    assert [m.to for m in mail.outbox] == [[people["officer"].email]]
    assert "请补充会议时间。" in mail.outbox[0].body

    page.refresh_from_db()
    page.title = "区政府办公室召开专题会议（11月24日）"
    page.save_revision(user=people["officer"])
    state.resume(user=people["officer"])
    assert current_task(state).name == "科长审核"
    act(state, people["chief"])
    act(state, people["director"])
    page.refresh_from_db()
    assert page.live and page.title.endswith("（11月24日）")


@pytest.mark.django_db
def test_audio_or_video_needs_the_information_centre(people, tmp_path):
    from django.core.files.base import ContentFile

    video = get_document_model().objects.create(
        title="会议视频", file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="meeting.mp4")
    )
    page = draft(people)
    ArticleAttachment.objects.create(page=page, document=video)
    state = submit(ArticlePage.objects.get(pk=page.pk), people["officer"])
    task = current_task(state)
    assert task.name == "信息中心审核"
    assert task.get_actions(state.content_object, people["chief"]) == []
    act(state, people["media"])
    assert current_task(state).name == "科长审核"


@pytest.mark.django_db
def test_officers_may_upload_audio_and_video_as_documents(client, people):
    """R-FMT-3: audio and video are accepted (then signed off by 信息中心); other types not."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    login(client, people["officer"])
    url = reverse("wagtaildocs:add")
    video = SimpleUploadedFile("会议.mp4", b"\x00\x00\x00\x18ftypmp42")
    assert client.post(url, {"title": "会议视频", "file": video}).status_code == 302
    program = SimpleUploadedFile("setup.exe", b"MZ\x90\x00")
    response = client.post(url, {"title": "程序", "file": program})
    assert response.status_code == 200
    assert get_document_model().objects.filter(title="会议视频").exists()
    assert not get_document_model().objects.filter(title="程序").exists()


@pytest.mark.django_db
def test_editing_a_live_page_keeps_the_old_version_live(people):
    page = draft(people, title="原标题")
    state = submit(page, people["officer"])
    act(act(state, people["chief"]), people["director"])
    page.refresh_from_db()
    page.title = "新标题"
    state = submit(page, people["officer"])
    page.refresh_from_db()
    assert page.live and page.title == "原标题" and page.has_unpublished_changes
    act(act(state, people["chief"]), people["director"])
    page.refresh_from_db()
    assert page.title == "新标题" and not page.has_unpublished_changes


@pytest.mark.django_db
def test_scheduled_publication_waits_for_its_time(people):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    page = draft(people)
    page.go_live_at = timezone.now() + timedelta(hours=2)
    state = submit(page, people["officer"])
    act(act(state, people["chief"]), people["director"])
    page.refresh_from_db()
    assert not page.live
    assert page.get_latest_revision().approved_go_live_at is not None
    notice = Notice.objects.get(title__startswith="审核通过，定时发布")
    assert f"{timezone.localtime(page.go_live_at):%Y-%m-%d %H:%M}" in notice.text

    # Two hours later, as far as the scheduler can tell:
    revision = page.get_latest_revision()
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live


@pytest.mark.django_db
def test_a_resubmitted_version_is_screened_before_the_chief(people):
    """R-FLOW-1: after a return, the new version is screened again before any human."""
    page = draft(people)
    state = act(submit(page, people["officer"]), people["chief"], "reject", "请修改标题。")
    page.refresh_from_db()
    page.title = "关于内部资料管理的通知"
    page.save_revision(user=people["officer"])
    state.resume(user=people["officer"])
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.task.name == "自动审查"
    assert "「内部资料」" in state.current_task_state.comment
    assert not ChiefReviewTask.objects.get().get_task_states_user_can_moderate(people["chief"])

    page.title = "关于资料管理的通知"
    page.save_revision(user=people["officer"])
    state.resume(user=people["officer"])
    assert current_task(state).name == "科长审核"
    act(act(state, people["chief"]), people["director"])
    page.refresh_from_db()
    assert page.live and page.title == "关于资料管理的通知"
