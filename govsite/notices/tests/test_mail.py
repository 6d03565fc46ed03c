"""A notice's e-mail copy leaves after commit, by a task, and a mail server that is down is
tried again later, then given up with a logged error — the notice itself always stays."""

import logging
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from govsite.notices import tasks
from govsite.notices.delivery import notify
from govsite.notices.models import Notice

pytestmark = pytest.mark.django_db


def closed_port():
    """A loopback port nothing listens on: the mail server is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 5},
        }
    }


def test_the_copy_leaves_after_commit(make_user, django_capture_on_commit_callbacks):
    officer = make_user("mishu_officer", "秘书科-信息员")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice = notify(officer, "退回修改：《通知》", "意见：请补充", "/admin/pages/1/edit/")
    assert notice.pk and mail.outbox == []  # nothing leaves before the step has committed
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert message.subject == "【网站审核】退回修改：《通知》"
    assert message.to == [officer.email] and "http://testserver/admin/pages/1/edit/" in message.body


def test_a_server_that_is_down_is_retried_then_given_up(mail_server_down, caplog):
    with caplog.at_level(logging.WARNING, logger="govsite.notices.tasks"):
        result = tasks.send_notice_mail.enqueue("【网站审核】通知", "正文", "a@example.cn")
    assert result.status == "SUCCESSFUL" and result.return_value is False
    assert caplog.text.count("稍后重试") == len(tasks.RETRY_DELAYS)
    assert "通知邮件未能发出，已放弃（【网站审核】通知 → a@example.cn，4 次）" in caplog.text


def test_on_a_queue_the_retry_waits(mail_server_down, database_queue, make_user):
    officer = make_user("mishu_officer", "秘书科-信息员")
    tasks.send_notice_mail.enqueue("【网站审核】通知", "正文", officer.email)
    first = DBTaskResult.objects.ready().get()  # the first attempt: at once
    first.task.call(*first.task_result.args, **first.task_result.kwargs)  # a worker runs it
    retry = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert not DBTaskResult.objects.ready().filter(pk=retry.pk).exists()  # not yet
    waits = retry.run_after - timezone.now()
    assert timedelta(seconds=50) < waits <= tasks.RETRY_DELAYS[0]
    assert Notice.objects.count() == 0  # the task only sends: the notice was made before
