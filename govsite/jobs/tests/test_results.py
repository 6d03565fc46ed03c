"""A job's result file: kept in private storage, offered on the job's page and downloaded
through it by whoever may see the job, or — for a result restricted to a permission — by its
requester alone while they hold that permission."""

import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from govsite.jobs import rules, runner, storage
from govsite.jobs.models import Job
from govsite.sections import roles


@runner.job_task
def write_report(job, text):
    storage.save_result(job, "报告.txt", io.BytesIO(text.encode()))
    return "报告已生成。"


def finished(django_capture_on_commit_callbacks, user, **options):
    with django_capture_on_commit_callbacks(execute=True):
        job = runner.start(write_report, "生成报告", user=user, text="内容", **options)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    return job


@pytest.fixture
def requester(make_user):
    return make_user("requester", roles.SITE_MANAGERS)


def test_the_requester_and_the_system_administrators_download_an_ordinary_result(
    client, requester, role_users, django_capture_on_commit_callbacks
):
    job = finished(django_capture_on_commit_callbacks, requester)
    download = reverse("govsite_jobs:download", args=[job.pk])
    for user in (requester, role_users[roles.SYSTEM_ADMINS]):
        client.force_login(user)
        page = client.get(reverse("govsite_jobs:detail", args=[job.pk])).content.decode()
        assert "报告已生成。" in page and download in page
        response = client.get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == "内容".encode()
    client.force_login(role_users[roles.SITE_MANAGERS])  # another user, not the requester
    assert client.get(download).status_code == 403


def test_a_result_kept_to_a_permission_is_for_its_requester_alone(
    client, make_user, role_users, django_capture_on_commit_callbacks
):
    auditor = make_user("shenji", roles.AUDIT_ADMINS)
    job = finished(
        django_capture_on_commit_callbacks, auditor, result_permission="audit.view_auditentry"
    )
    download = reverse("govsite_jobs:download", args=[job.pk])
    sysadmin = role_users[roles.SYSTEM_ADMINS]
    assert rules.may_see(sysadmin, job) and not rules.may_download(sysadmin, job)
    client.force_login(sysadmin)
    page = client.get(reverse("govsite_jobs:detail", args=[job.pk])).content.decode()
    assert download not in page and "只有具有相应权限的发起人可以下载" in page
    assert client.get(download).status_code == 403

    client.force_login(auditor)
    assert download in client.get(reverse("govsite_jobs:detail", args=[job.pk])).content.decode()
    assert client.get(download).status_code == 200
    auditor.groups.set([Group.objects.get(name=roles.SITE_MANAGERS)])  # no longer 审计管理员
    auditor = type(auditor).objects.get(pk=auditor.pk)
    assert not rules.may_download(auditor, job)
    assert client.get(download).status_code == 403
