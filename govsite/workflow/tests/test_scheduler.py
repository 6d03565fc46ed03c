"""定时发布: ``run_scheduler`` publishes approved pages when their time comes, and keeps going."""

import logging
import os
import signal
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from wagtail.models import PageLogEntry

from govsite.sections import roles
from govsite.testing.helpers import add_article, sub_column

from ..exports import page_record
from ..management.commands import run_scheduler


@pytest.fixture(autouse=True)
def keep_the_test_transaction(monkeypatch):
    """``run_scheduler`` drops stale connections between runs; inside a test that would drop
    the test's own transaction (PostgreSQL), so here it keeps them."""
    monkeypatch.setattr(run_scheduler, "close_old_connections", lambda: None)


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


@pytest.mark.django_db
def test_once_publishes_an_approved_page_whose_time_has_come(scheduled_page, caplog):
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    scheduled_page.refresh_from_db()
    assert not scheduled_page.live  # not yet
    assert "没有到时需要发布或下线的内容" in out.getvalue()

    time_has_come(scheduled_page)
    out = StringIO()
    with caplog.at_level(logging.INFO, logger="govsite.workflow.scheduler"):
        call_command("run_scheduler", "--once", stdout=out)
    scheduled_page.refresh_from_db()
    assert scheduled_page.live and scheduled_page.last_published_at is not None
    assert "定时发布：《定时发布的稿件》" in out.getvalue()
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
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "没有到时需要发布或下线的内容" in out.getvalue()


@pytest.mark.django_db
def test_a_failing_run_is_logged_and_the_next_one_publishes(scheduled_page, monkeypatch, caplog):
    time_has_come(scheduled_page)
    real_call_command = run_scheduler.call_command
    calls = []

    def flaky(name, *args, **kwargs):
        calls.append(name)
        if len(calls) == 1:
            raise RuntimeError("数据库暂时不可用")
        try:
            real_call_command(name, *args, **kwargs)
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # stop after the second run, as systemd would

    monkeypatch.setattr(run_scheduler, "call_command", flaky)
    monkeypatch.setattr(run_scheduler.threading.Event, "wait", lambda self, timeout: None)
    previous = signal.getsignal(signal.SIGTERM)
    with caplog.at_level(logging.INFO, logger="govsite.workflow.scheduler"):
        call_command("run_scheduler", "--interval", "1")
    assert calls == ["publish_scheduled", "publish_scheduled"]
    assert "定时发布本次运行失败" in caplog.text and "数据库暂时不可用" in caplog.text
    assert "定时发布：《定时发布的稿件》" in caplog.text
    assert "定时发布已停止" in caplog.text
    scheduled_page.refresh_from_db()
    assert scheduled_page.live
    assert signal.getsignal(signal.SIGTERM) == previous  # handlers are given back


@pytest.mark.django_db
def test_once_reports_a_failure_to_cron(monkeypatch, site_tree):
    def broken(*args, **kwargs):
        raise RuntimeError("数据库暂时不可用")

    monkeypatch.setattr(run_scheduler, "call_command", broken)
    with pytest.raises(CommandError, match="定时发布运行失败"):
        call_command("run_scheduler", "--once")


def test_the_interval_must_be_positive():
    with pytest.raises(CommandError, match="至少为 1 秒"):
        call_command("run_scheduler", "--interval", "0")


@pytest.mark.django_db
def test_the_scheduler_rescreens_once_the_lexicon_has_been_quiet(site_tree, caplog):
    """R-SCREEN-1: a term added to the lexicon also finds what is already published."""
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
    call_command("run_scheduler", "--once", stdout=StringIO())
    assert not RescreenRun.objects.exists()  # changed just now: more edits may follow

    LexiconVersion.objects.update(changed_at=timezone.now() - QUIET_PERIOD)
    with caplog.at_level(logging.INFO, logger="govsite.workflow.scheduler"):
        call_command("run_scheduler", "--once", stdout=StringIO())
    (run,) = RescreenRun.objects.all()
    assert [item["title"] for item in run.flagged] == ["关于代开发票问题的通报"]
    assert "已发布信息复查：检查 1 条，1 条未通过。" in caplog.text
    call_command("run_scheduler", "--once", stdout=StringIO())
    assert RescreenRun.objects.count() == 1  # nothing changed since


@pytest.mark.django_db
def test_the_scheduler_reindexes_search_once_the_dictionary_has_been_quiet(site_tree, caplog):
    """SPEC §11: a word added to the search dictionary also finds pages indexed before it."""
    from govsite.search.models import DictionaryVersion, SearchWord

    call_command("update_index", stdout=StringIO())
    SearchWord.objects.create(word="接诉即办")
    call_command("run_scheduler", "--once", stdout=StringIO())
    assert DictionaryVersion.state().index_stale  # changed just now: more edits may follow

    DictionaryVersion.objects.update(changed_at=timezone.now() - timedelta(hours=1))
    with caplog.at_level(logging.INFO, logger="govsite.workflow.scheduler"):
        call_command("run_scheduler", "--once", stdout=StringIO())
    assert not DictionaryVersion.state().index_stale
    assert "搜索词典已修改，搜索索引已重建" in caplog.text
