"""Fixtures of the mailbox's tests: the people who handle letters, 文书科 and the mailbox page
(govsite/mailbox/tests/factories.py makes the letters)."""

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from govsite.jobs.models import Job
from govsite.testing.helpers import section

from ..pages import MailboxPage
from .factories import make_people


@pytest.fixture
def people(make_user):
    return make_people(make_user)


@pytest.fixture
def wenshu(site_tree):
    return section("文书科")


@pytest.fixture
def mailbox(site_tree):
    return MailboxPage.objects.get()


@pytest.fixture
def exported(client, django_capture_on_commit_callbacks):
    """Export 整理上报 through the admin as 综合科 does: 导出 opens a page saying what the file
    will hold, 开始导出 starts a background job and lands on the job's page, the worker writes
    the file, which is downloaded from there. Returns the file's bytes."""

    def run(url, query):
        url = f"{url}?{urlencode(query)}"
        assert ">开始导出</button>" in client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        job = Job.objects.latest("pk")
        assert response.status_code == 302
        assert response["Location"] == reverse("govsite_jobs:detail", args=[job.pk])
        job.refresh_from_db()
        assert job.status == Job.Status.DONE, job.error
        assert job.requested_by_id == int(client.session["_auth_user_id"])
        download = client.get(reverse("govsite_jobs:download", args=[job.pk]))
        assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
        return b"".join(download.streaming_content)

    return run
