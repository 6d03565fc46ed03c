"""整理上报 as a file (第十一条; R-MAIL-3), a background job: the page that says what the file
will hold, who may start it and who may download it, the 整理上报 entries written together
with the file or not at all, and periods the office's records cannot hold."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.http import urlencode

from govsite.jobs import runner
from govsite.jobs.models import Job
from govsite.sections import roles
from govsite.testing.helpers import assert_refused

from .. import cases, tasks
from ..models import Letter, LetterEvent
from .factories import at, write

Action = LetterEvent.Action
JANUARY = {"start": "2030-01-01", "end": "2030-01-31"}


def export_url(export_type="csv", **query):
    url = reverse("mailbox_report_export", args=[export_type])
    return f"{url}?{urlencode({**JANUARY, **query})}"


@pytest.fixture
def january(people, wenshu):
    """Two letters received in January 2030 (one of them assigned to 文书科), one in February."""
    office = people["office"]
    assigned = write(subject="路灯不亮", now=at(date(2030, 1, 7)))
    cases.classify(assigned, office, Letter.Scope.INTERNAL)
    cases.assign(assigned, office, wenshu, deadline=date(2030, 1, 14), today=date(2030, 1, 7))
    received = write(subject="咨询办事指南", now=at(date(2030, 1, 20)))
    write(subject="二月的来信", now=at(date(2030, 2, 1)))
    return assigned, received


def reported():
    return LetterEvent.objects.filter(action=Action.REPORTED)


def start(client, url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = Job.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("govsite_jobs:detail", args=[job.pk])
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_the_export_page_says_what_the_file_will_hold_and_starts_nothing(
    client, people, january, wenshu
):
    client.force_login(people["office"])
    html = client.get(export_url("xlsx")).content.decode()
    assert "导出 2030-01-01 至 2030-01-31 收到的来信汇总，共 <strong>2</strong> 封" in html
    assert "Excel 文件" in html and ">开始导出</button>" in html
    assert "每封信件的办理记录都会登记一次“整理上报”" in html
    html = client.get(export_url("csv", section=wenshu.pk)).content.decode()
    assert "（承办科室：文书科），共 <strong>1</strong> 封" in html and "CSV 文件" in html
    assert not Job.objects.exists() and not reported().exists()  # looking is not reporting
    summary = client.get(reverse("mailbox_report"), JANUARY).content.decode()
    assert f'href="{export_url("xlsx").replace("&", "&amp;")}"' in summary


@pytest.mark.django_db
def test_the_job_writes_the_file_and_reports_each_letter_once(
    client, people, january, django_capture_on_commit_callbacks
):
    assigned, received = january
    client.force_login(people["office"])
    job = start(client, export_url("csv"), django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    assert job.label == "导出 2030-01-01 至 2030-01-31 来信汇总（CSV）"
    assert job.result_name == "来信汇总-20300101-20300131.csv"
    assert job.message == "已导出来信 2 封（CSV 文件），每封信件已登记“整理上报”，可以下载。"
    assert (job.done, job.total) == (2, 2)
    assert job.url == reverse("mailbox_report") + "?" + urlencode(JANUARY)
    assert job.arguments == {"export_type": "csv", "values": JANUARY}
    assert sorted(reported().values_list("letter", flat=True)) == sorted([assigned.pk, received.pk])
    assert set(reported().values_list("actor", flat=True)) == {people["office"].pk}
    page = client.get(reverse("govsite_jobs:detail", args=[job.pk])).content.decode()
    assert "下载 来信汇总-20300101-20300131.csv" in page

    # A job whose file was kept (its worker killed before it was marked done) runs again
    # without reporting the letters twice.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    tasks.export_summary_job.call(job_id=job.pk, **job.arguments)
    assert reported().count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("failing", ["writer", "storage"])
def test_a_failed_export_reports_nothing_and_offers_no_file(
    client, people, january, monkeypatch, django_capture_on_commit_callbacks, failing
):
    """The 整理上报 entries and the file are one: a job that fails after some letters were
    recorded (the file could not be written, or not kept) leaves none of them."""

    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    if failing == "writer":
        monkeypatch.setitem(tasks.exports.WRITERS, "csv", broken)
    else:
        monkeypatch.setattr(tasks.storage, "save_result", broken)
    client.force_login(people["office"])
    with pytest.raises(OSError):
        tasks.export_summary_job.call(
            job_id=runner.start(
                tasks.export_summary_job, "导出", user=people["office"], export_type="csv",
                values=JANUARY,
            ).pk,
            export_type="csv",
            values=JANUARY,
        )  # fmt: skip
    job = Job.objects.latest("pk")
    assert job.status == Job.Status.FAILED and "磁盘已满" in job.error
    assert not job.result_file and not reported().exists()
    assert client.get(reverse("govsite_jobs:download", args=[job.pk])).status_code == 404

    monkeypatch.undo()
    client.force_login(people["office"])
    with django_capture_on_commit_callbacks(execute=True):
        runner.retry(job)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert reported().count() == 2  # once each, by the run that made the file


@pytest.mark.django_db
def test_the_file_is_its_requesters_alone_while_they_are_of_zonghe(
    client, people, january, make_user, django_capture_on_commit_callbacks
):
    """系统管理员 oversees every job but does not read letters (三员分立): they see the export
    job, not its file; nor does another member of 综合科, nor the requester once moved out."""
    client.force_login(people["office"])
    job = start(client, export_url("csv"), django_capture_on_commit_callbacks)
    download = reverse("govsite_jobs:download", args=[job.pk])
    detail = reverse("govsite_jobs:detail", args=[job.pk])
    assert client.get(download).status_code == 200

    client.force_login(make_user("sysadmin", roles.SYSTEM_ADMINS))
    page = client.get(detail).content.decode()
    assert job.label in page and download not in page
    assert client.get(download).status_code == 403

    client.force_login(make_user("zonghe_other", "综合科-信息员"))
    assert client.get(download).status_code == 403
    client.force_login(people["site_manager"])  # 综合科-网站管理 keeps settings, not letters
    assert client.get(download).status_code == 403

    office = people["office"]  # moved to 秘书科
    office.groups.set([Group.objects.get(name="秘书科-信息员")])
    client.force_login(office)
    assert client.get(download).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["officer", "chief", "director", "site_manager", "office_chief", "office_director"]
)
def test_only_zonghe_officers_export(client, people, january, who):
    client.force_login(people[who])
    assert_refused(client.get(export_url()))
    assert_refused(client.post(export_url()))
    assert not Job.objects.exists() and not reported().exists()


@pytest.mark.django_db
def test_a_job_for_someone_no_longer_of_zonghe_reports_nothing(
    client, people, january, django_capture_on_commit_callbacks
):
    """The role is asked again when the file is made: the job fails in words, reporting
    nothing."""
    client.force_login(people["office"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(export_url())
    people["office"].groups.remove(*people["office"].groups.filter(name="综合科-信息员"))
    for callback in callbacks:
        callback()  # the worker runs the job
    job = Job.objects.latest("pk")
    assert job.status == Job.Status.FAILED and not job.result_file
    assert "CaseError" in job.error_summary
    assert not reported().exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, message",
    [
        ({"start": "1026-01-01", "end": "2026-01-01"}, "日期须在 1990 年至 2100 年之间。"),
        ({"start": "2026-01-01", "end": "9999-12-31"}, "日期须在 1990 年至 2100 年之间。"),
        ({"start": "2026-03-01", "end": "2026-01-01"}, "截止日期不能早于起始日期。"),
        ({"start": "x" * 10_000, "end": "2026-01-01"}, "输入一个有效的日期。"),
        ({**JANUARY, "section": "999999"}, "选择一个有效的选项"),
    ],
)
def test_a_bad_period_is_refused_in_chinese_and_starts_nothing(client, people, query, message):
    client.force_login(people["office"])
    url = reverse("mailbox_report_export", args=["csv"]) + "?" + urlencode(query)
    for method in (client.get, client.post):
        response = method(url, follow=True)
        assert response.redirect_chain == [(reverse("mailbox_report"), 302)]
        shown = [str(m) for m in response.context["messages"]]
        assert any(m.startswith("导出条件有误，未导出：") and message in m for m in shown), shown
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_job_whose_conditions_no_longer_hold_fails_in_words(people, january):
    """The conditions are checked again when the file is made (a section gone meanwhile)."""
    values = {**JANUARY, "section": "999999"}
    job = runner.start(
        tasks.export_summary_job, "导出", user=people["office"], export_type="csv", values=values
    )
    with pytest.raises(ValueError, match="导出条件有误：承办科室"):
        tasks.export_summary_job.call(job_id=job.pk, export_type="csv", values=values)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not reported().exists()
