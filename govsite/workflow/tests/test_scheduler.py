"""定时发布 and the other periodic jobs: each app declares its own (``tasks.py``, ``@cron``), the
scheduler (``manage.py crontask``) enqueues them, a worker runs them."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from crontask import scheduler
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry

from govsite.audit import tasks as audit_tasks
from govsite.jobs import tasks as jobs_tasks
from govsite.mailbox import tasks as mailbox_tasks
from govsite.screening import tasks as screening_tasks
from govsite.search import tasks as search_tasks
from govsite.sections import roles
from govsite.testing.helpers import add_article, sub_column

from .. import tasks
from ..exports import page_record


def approve_all(page, *reviewers):
    state = page.current_workflow_state
    for reviewer in reviewers:
        state.refresh_from_db()
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, reviewer, "approve")


@pytest.fixture
def scheduled_page(make_user):
    """An article approved by chief and director for publication two hours from now."""
    officer = make_user("mishu_officer", "秘书科-信息员")
    chief = make_user("mishu_chief", "秘书科-科长")
    director = make_user("director_a", roles.DIRECTORS, supervises=["秘书科"])
    page = add_article(
        sub_column("领导重要讲话"), title="定时发布的稿件", owner=officer, publish=False
    )
    page.go_live_at = timezone.now() + timedelta(hours=2)
    page.save_revision(user=officer)
    page.get_workflow().start(page, officer)
    approve_all(page, chief, director)
    page.refresh_from_db()
    assert not page.live and page.get_latest_revision().approved_go_live_at
    return page


def time_has_come(page):
    """Move the approved publication time into the past, as if two hours had gone by."""
    revision = page.get_latest_revision()
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])


def test_every_periodic_job_is_declared_to_the_scheduler():
    """What ``manage.py crontask`` finds in the apps' tasks modules, with its period."""
    declared = {job.name: str(job.trigger) for job in scheduler.get_jobs()}
    expected = [
        tasks.publish_scheduled,
        mailbox_tasks.supervise_letters,
        screening_tasks.rescreen_when_due,
        search_tasks.reindex_when_due,
        audit_tasks.purge_audit_log,
        jobs_tasks.prune_finished_work,
    ]
    for periodic in expected:
        assert periodic.name in declared, periodic.name
    assert "minute='*'" in declared[tasks.publish_scheduled.name]
    assert "minute='17'" in declared[audit_tasks.purge_audit_log.name]


@pytest.mark.django_db
def test_publishes_an_approved_page_whose_time_has_come(scheduled_page, caplog):
    assert tasks.publish_scheduled.enqueue().return_value == []
    scheduled_page.refresh_from_db()
    assert not scheduled_page.live  # not yet

    time_has_come(scheduled_page)
    with caplog.at_level(logging.INFO, logger="govsite.workflow.tasks"):
        result = tasks.publish_scheduled.enqueue()
    assert result.return_value == ["定时发布：《定时发布的稿件》"]
    scheduled_page.refresh_from_db()
    assert scheduled_page.live and scheduled_page.last_published_at is not None
    assert "定时发布：《定时发布的稿件》" in caplog.text
    assert PageLogEntry.objects.filter(
        page=scheduled_page, action="wagtail.publish.scheduled"
    ).exists()

    # The record names the director who approved it for that time as its publisher.
    record = page_record(scheduled_page)
    assert record.published_by == "director_a"
    assert ("定时发布", "定时发布任务", "已发布") in [
        (row.step, row.actor, row.decision) for row in record.rows
    ]

    # Nothing is published twice.
    assert tasks.publish_scheduled.enqueue().return_value == []


@pytest.mark.django_db
def test_a_failing_run_is_recorded_and_the_next_one_publishes(scheduled_page, monkeypatch, caplog):
    """A run that fails is a failed task result (logged by the task framework); the next minute's
    run publishes what is due."""
    time_has_come(scheduled_page)

    def broken(*args, **kwargs):
        raise RuntimeError("数据库暂时不可用")

    monkeypatch.setattr(tasks, "call_command", broken)
    with caplog.at_level(logging.ERROR):
        failed = tasks.publish_scheduled.enqueue()
    assert failed.status == "FAILED" and "数据库暂时不可用" in failed.errors[0].traceback
    monkeypatch.setattr(tasks, "call_command", call_command)
    assert tasks.publish_scheduled.enqueue().return_value == ["定时发布：《定时发布的稿件》"]
    scheduled_page.refresh_from_db()
    assert scheduled_page.live


@pytest.mark.django_db
def test_the_lexicon_being_quiet_starts_one_rescreening(
    site_tree, django_capture_on_commit_callbacks
):
    """R-SCREEN-1: a term added to the lexicon also finds what is already published."""
    from govsite.jobs.models import Job
    from govsite.screening.models import (
        LexiconVersion,
        ProhibitedCategory,
        ProhibitedTerm,
        RescreenRun,
    )
    from govsite.screening.rescreen import QUIET_PERIOD

    add_article(sub_column("工作动态"), title="关于代开发票问题的通报")
    ProhibitedTerm.objects.create(
        text="代开发票", category=ProhibitedCategory.objects.get(number=9)
    )
    assert screening_tasks.rescreen_when_due.enqueue().return_value is False
    assert not RescreenRun.objects.exists()  # changed just now: more edits may follow

    LexiconVersion.objects.update(changed_at=timezone.now() - QUIET_PERIOD)
    with django_capture_on_commit_callbacks(execute=True):
        assert screening_tasks.rescreen_when_due.enqueue().return_value is True
    (run,) = RescreenRun.objects.all()
    assert [item["title"] for item in run.flagged] == ["关于代开发票问题的通报"]
    (job,) = Job.objects.all()
    assert job.status == Job.Status.DONE and job.requested_by is None
    assert job.message == "检查已发布信息 1 条，1 条未通过。"
    assert screening_tasks.rescreen_when_due.enqueue().return_value is False  # nothing changed


@pytest.mark.django_db
def test_the_dictionary_being_quiet_rebuilds_the_search_index(
    site_tree, django_capture_on_commit_callbacks
):
    """SPEC §11: a word added to the search dictionary also finds pages indexed before it."""
    from govsite.search.models import DictionaryVersion, SearchWord

    call_command("update_index", stdout=StringIO())
    SearchWord.objects.create(word="接诉即办")
    assert search_tasks.reindex_when_due.enqueue().return_value is False
    assert DictionaryVersion.state().index_stale  # changed just now: more edits may follow

    DictionaryVersion.objects.update(changed_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert search_tasks.reindex_when_due.enqueue().return_value is True
    assert not DictionaryVersion.state().index_stale
