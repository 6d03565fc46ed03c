"""R-SEC-4 and 三员分立: the 审计日志 view is for 审计管理员 (and the break-glass superuser) only;
it filters, searches and exports what it shows, every export is recorded, nothing in a file
runs as a formula; every state-changing admin request of a superuser is on record."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from govsite.audit.events import record
from govsite.audit.models import AuditEntry, Category
from govsite.jobs.models import Job
from govsite.sections import roles

from .conftest import CLIENT

INDEX = "govsite_audit:index"


def index_url(**query):
    from django.utils.http import urlencode

    return reverse(INDEX) + ("?" + urlencode(query, doseq=True) if query else "")


def export_url(export_type, **query):
    from django.utils.http import urlencode

    url = reverse("govsite_audit:export", args=[export_type])
    return url + ("?" + urlencode(query, doseq=True) if query else "")


@pytest.fixture
def auditor(make_user):
    return make_user("auditor", roles.AUDIT_ADMINS)


# Who may read it ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        roles.SYSTEM_ADMINS,
        roles.SECURITY_ADMINS,
        roles.SITE_MANAGERS,
        "秘书科-信息员",
        "秘书科-科长",
        "主管主任(秘书科、文书科)",
    ],  # fmt: skip
)
def test_everyone_but_the_auditor_is_refused(client, role_users, who):
    entry = record("login", actor=role_users[who], request=None)
    client.force_login(role_users[who])
    for url in (
        reverse(INDEX),
        reverse("govsite_audit:index_results"),
        reverse("govsite_audit:detail", args=[entry.pk]),
        export_url("csv"),
        export_url("xlsx"),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
    assert "您无权查看审计日志" in client.get(reverse(INDEX)).content.decode()
    refused = AuditEntry.objects.filter(action="audit_access_denied", actor=role_users[who])
    assert refused.count() == 6
    assert client.post(reverse(INDEX)).status_code == 403
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(INDEX) not in home  # no menu item
    assert not AuditEntry.objects.filter(action="audit_exported").exists()


def test_anonymous_visitors_are_sent_to_the_login(client, site_tree):
    response = client.get(reverse(INDEX))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("superuser", [False, True])
def test_the_auditor_and_the_superuser_read_it(client, make_user, auditor, superuser):
    reader = make_user("root", superuser=True) if superuser else auditor
    entry = record("login", actor=auditor, request=None)
    client.force_login(reader)
    response = client.get(reverse(INDEX))
    assert response.status_code == 200
    html = response.content.decode()
    assert "审计日志" in html and "登录成功" in html
    assert client.get(reverse("govsite_audit:detail", args=[entry.pk])).status_code == 200
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(INDEX) in home  # the menu item


# What it shows -----------------------------------------------------------------------------------


@pytest.fixture
def log(db, make_user, auditor):
    """A few entries of different kinds, days and addresses."""
    officer = make_user("mishu_officer", "秘书科-信息员")
    now = timezone.now()

    class Request:
        META = {"REMOTE_ADDR": "198.51.100.5", "HTTP_USER_AGENT": "Firefox/130"}

    entries = {
        "old_login": record("login", actor=officer, request=Request, at=now - timedelta(days=40)),
        "failure": record(
            "login_failed",
            actor=None,
            actor_username="mishu_officer",
            request=Request,
            at=now - timedelta(days=2),
        ),
        "groups": record(
            "groups_added",
            actor=auditor,
            target=officer,
            summary="用户组：秘书科-信息员",
            detail={"groups": [{"id": 1, "name": "秘书科-信息员"}]},
            request=None,
            at=now - timedelta(days=1),
        ),
        "publish": record(
            "wagtail.publish",
            label="发布",
            category=Category.CONTENT,
            actor=officer,
            target_repr="关于开展节能宣传周活动的通知",
            detail={"message": "已发布", "data": {"title": "节能宣传周"}},
            request=None,
        ),
    }
    return entries


def listed(response):
    """The entries of the page, by their detail links."""
    html = response.content.decode()
    return {
        entry.pk
        for entry in AuditEntry.objects.all()
        if reverse("govsite_audit:detail", args=[entry.pk]) in html
    }


def test_newest_first_and_paginated(client, auditor, log):
    client.force_login(auditor)
    html = client.get(index_url(actor="mishu_officer")).content.decode()
    positions = [
        html.index(reverse("govsite_audit:detail", args=[log[name].pk]))
        for name in ("publish", "failure", "old_login")
    ]
    assert positions == sorted(positions)
    for _ in range(60):
        record("logout", actor=auditor, request=None)
    total = AuditEntry.objects.filter(actor_username="auditor").count()
    assert total > 60
    first = listed(client.get(index_url(actor="auditor")))
    second = listed(client.get(index_url(actor="auditor", p=2)))
    assert len(first) == 50 and len(second) == total - 50
    assert max(second) < min(first)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": Category.LOGIN}, {"old_login", "failure"}),
        ({"action": "login_failed"}, {"failure"}),
        ({"actor": "mishu_officer"}, {"old_login", "failure", "publish"}),
        ({"ip": "198.51.100.5"}, {"old_login", "failure"}),
        ({"q": "节能宣传"}, {"publish"}),  # the object
        ({"q": "秘书科-信息员"}, {"groups"}),  # the 说明 and the detail
        ({"q": "已发布"}, {"publish"}),  # the detail only
        ({"actor": "mishu_officer", "category": Category.LOGIN}, {"old_login", "failure"}),
    ],
)
def test_filters_and_search(client, auditor, log, query, expected):
    client.force_login(auditor)
    response = client.get(index_url(**query))
    assert response.status_code == 200
    shown = listed(response)
    assert {name for name, entry in log.items() if entry.pk in shown} == expected


def test_the_date_range(client, auditor, log):
    client.force_login(auditor)
    today = timezone.localdate()
    response = client.get(
        index_url(at_from=f"{today - timedelta(days=3)}", at_to=f"{today - timedelta(days=1)}")
    )
    shown = listed(response)
    assert {name for name, entry in log.items() if entry.pk in shown} == {"failure", "groups"}


def test_the_results_fragment_filters_too(client, auditor, log):
    client.force_login(auditor)
    response = client.get(reverse("govsite_audit:index_results"), {"action": "login_failed"})
    assert response.status_code == 200
    assert {log["failure"].pk} == listed(response) & {e.pk for e in log.values()}


def test_the_detail_shows_every_field(client, auditor, log):
    client.force_login(auditor)
    html = client.get(reverse("govsite_audit:detail", args=[log["failure"].pk])).content.decode()
    for text in ("登录失败", "mishu_officer", "198.51.100.5", "Firefox/130", "login_failed"):
        assert text in html


# Exports -----------------------------------------------------------------------------------------


@pytest.fixture
def export(client, django_capture_on_commit_callbacks):
    """``export("csv", **query)``: the logged-in auditor starts the export from the list, the
    worker runs it, the file is downloaded from the job's page; returns (job, file bytes)."""

    def run(export_type, **query):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(export_url(export_type, **query), **CLIENT)
        job = Job.objects.latest("pk")
        assert response.status_code == 302
        assert response["Location"] == reverse("govsite_jobs:detail", args=[job.pk])
        job.refresh_from_db()
        assert job.status == Job.Status.DONE, job.error
        download = client.get(reverse("govsite_jobs:download", args=[job.pk]))
        assert download.status_code == 200
        assert "attachment" in download["Content-Disposition"]
        return job, b"".join(download.streaming_content)

    return run


def csv_rows(content):
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel on a Chinese Windows reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def xlsx_rows(content):
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    headers, *rows = sheet.values
    return [dict(zip(headers, row, strict=True)) for row in rows]


def test_csv_export_holds_the_filtered_entries(client, auditor, log, export):
    client.force_login(auditor)
    job, content = export("csv", actor="mishu_officer")
    assert job.result_name.endswith(".csv") and job.label == "导出审计日志（CSV）"
    rows = csv_rows(content)
    assert [row["操作"] for row in rows] == ["发布", "登录失败", "登录成功"]
    failure = rows[1]
    assert failure["操作人"] == "mishu_officer" and failure["IP 地址"] == "198.51.100.5"
    assert failure["类别"] == "登录" and failure["操作代码"] == "login_failed"
    assert failure["浏览器"] == "Firefox/130"
    expected_time = timezone.localtime(log["failure"].at).strftime("%Y-%m-%d %H:%M:%S")
    assert failure["时间"] == expected_time


def test_xlsx_export_holds_the_filtered_entries(client, auditor, log, export):
    client.force_login(auditor)
    job, content = export("xlsx", category=Category.ACCOUNTS, actor="auditor")
    assert job.result_name.endswith(".xlsx") and job.label == "导出审计日志（Excel）"
    [row] = xlsx_rows(content)
    assert row["操作"] == "加入用户组" and row["对象"] == "mishu_officer"
    assert row["对象类型"] == "用户" and row["说明"] == "用户组：秘书科-信息员"
    assert '"name": "秘书科-信息员"' in row["详情"]
    assert row["时间"] == timezone.localtime(log["groups"].at).replace(tzinfo=None, microsecond=0)


def test_the_export_page_says_what_the_file_will_hold(client, auditor, log):
    client.force_login(auditor)
    response = client.get(export_url("xlsx", category=Category.CONTENT, q="节能", p=2))
    html = response.content.decode()
    assert response.status_code == 200 and "导出审计日志（Excel）" in html
    assert "共 <strong>1</strong> 条记录" in html  # the publication
    assert "类别：内容" in html and "搜索：节能" in html and ">开始导出</button>" in html
    assert not Job.objects.exists()  # GET starts nothing
    assert not AuditEntry.objects.filter(action="audit_exported").exists()


def test_the_export_runs_in_the_background_for_the_auditor_alone(
    client, auditor, log, make_user, django_capture_on_commit_callbacks
):
    """Exports of any size never block a request: the auditor lands on the job's page, which
    shows the progress and then the file; only that auditor may download it — not 系统管理员,
    who oversees every job but may not read the audit log (三员分立), nor another auditor."""
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(export_url("csv", actor="mishu_officer"), follow=True)
    html = response.content.decode()
    assert "已开始导出审计日志（后台任务），共 3 条，完成后在本页下载文件" in html
    assert "等待运行" in html
    (job,) = Job.objects.all()
    assert job.requested_by == auditor and job.result_permission == "audit.view_auditentry"
    for callback in callbacks:  # the worker picks the job up
        callback()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.done == job.total == 3
    assert job.message == "已导出审计日志 3 条（CSV 文件），可以下载。"
    download = reverse("govsite_jobs:download", args=[job.pk])
    assert download in client.get(reverse("govsite_jobs:detail", args=[job.pk])).content.decode()

    sysadmin = make_user("sysadmin", roles.SYSTEM_ADMINS)
    for other in (sysadmin, make_user("shenji2", roles.AUDIT_ADMINS)):
        client.force_login(other)
        response = client.get(download)
        assert response.status_code == 403, other
        assert not getattr(response, "streaming", False)
    client.force_login(sysadmin)
    page = client.get(reverse("govsite_jobs:detail", args=[job.pk])).content.decode()
    assert "已完成" in page and download not in page


def test_an_export_of_more_than_twenty_thousand_rows_is_complete(client, auditor, export):
    """No cap: the workbook is written row by row (write-only), whatever the number of rows."""
    now = timezone.now()
    rows = 20_050
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                action="login_failed",
                action_label="登录失败",
                category=Category.LOGIN,
                actor_username=f"user{number}",
                summary=f"第 {number} 次",
                at=now - timedelta(seconds=number),
            )
            for number in range(rows)
        ],
        batch_size=2000,
    )
    client.force_login(auditor)
    job, content = export("xlsx", action="login_failed")
    assert job.done == job.total == rows and f"已导出审计日志 {rows} 条" in job.message
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == rows and names[0] == "user0" and names[-1] == f"user{rows - 1}"


def test_each_export_is_recorded(client, auditor, log, export):
    client.force_login(auditor)
    export("xlsx", action="login_failed")
    export("csv")
    xlsx_run, csv_run = AuditEntry.objects.filter(action="audit_exported").order_by("pk")
    assert xlsx_run.actor == auditor and xlsx_run.category == Category.AUDIT
    assert xlsx_run.detail["format"] == "xlsx" and xlsx_run.detail["rows"] == 1
    assert xlsx_run.detail["filters"] == {"action": ["login_failed"]}
    assert xlsx_run.ip_address == "203.0.113.7"
    assert csv_run.detail["format"] == "csv"
    assert csv_run.detail["rows"] == AuditEntry.objects.filter(pk__lt=csv_run.pk).count()


def test_a_bad_filter_exports_nothing_and_says_why(client, auditor, log):
    client.force_login(auditor)
    for method in (client.get, client.post):
        response = method(export_url("csv", ip="not-an-address"), follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse(INDEX))
        assert "筛选条件有误，未导出" in response.content.decode()
    assert not AuditEntry.objects.filter(action="audit_exported").exists()
    assert not Job.objects.exists()
    assert client.get(export_url("pdf")).status_code == 404
    assert client.post(export_url("pdf")).status_code == 404


HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(1,1)"]


def test_nothing_typed_by_anyone_runs_as_a_formula(client, auditor, db, export):
    class Request:
        META = {"REMOTE_ADDR": "192.0.2.1", "HTTP_USER_AGENT": "@SUM(1,1)"}

    for text in HOSTILE:
        record("login_failed", actor=None, actor_username=text, target_repr=text, request=Request)
    client.force_login(auditor)
    rows = csv_rows(export("csv", action="login_failed")[1])
    assert sorted(row["操作人"] for row in rows) == sorted("'" + text for text in HOSTILE)
    assert {row["浏览器"] for row in rows} == {"'@SUM(1,1)"}

    sheet = load_workbook(io.BytesIO(export("xlsx", action="login_failed")[1]))
    cells = [cell for row in sheet.active.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert sorted(row[1].value for row in sheet.active.iter_rows(min_row=2)) == sorted(HOSTILE)


# Break-glass -------------------------------------------------------------------------------------


def test_a_superusers_state_changing_admin_requests_are_recorded(client, make_user, since):
    root = make_user("root", superuser=True)
    client.force_login(root)
    mark = since()
    client.get(reverse("govsite_notices:notices"), **CLIENT)  # reading: not recorded
    response = client.post(reverse("govsite_notices:notices_read_all"), **CLIENT)
    assert response.status_code == 302
    [entry] = mark.entries()
    assert entry.action == "superuser_request" and entry.category == Category.SUPERUSER
    assert entry.actor == root and entry.ip_address == "203.0.113.7"
    assert entry.detail == {
        "method": "POST",
        "path": reverse("govsite_notices:notices_read_all"),
        "view": "govsite_notices:notices_read_all",
        "status": 302,
    }
    assert entry.summary.endswith("→ 302")


def test_a_refused_superuser_request_is_recorded_too(client, make_user, since):
    root = make_user("root", superuser=True)
    client.force_login(root)
    mark = since()
    client.post(reverse(INDEX), **CLIENT)  # 405: still on record
    [entry] = mark.entries()
    assert entry.detail["status"] == 405 and entry.detail["method"] == "POST"


def test_other_users_requests_are_not_recorded_as_such(client, make_user, since):
    client.force_login(make_user("mishu_officer", "秘书科-信息员"))
    mark = since()
    client.post(reverse("govsite_notices:notices_read_all"), **CLIENT)
    assert mark.entries() == []


@pytest.mark.parametrize("write_only", [False, True])
def test_fill_table_sheet_lays_out_every_row(db, write_only):
    """The shared .xlsx table (``govsite.exports.tables.fill_table_sheet``), the same on an
    ordinary sheet and on a write-only one (an export of any size): every row written,
    formula-like text kept as text, formats and wrapping per column, widths and panes."""
    from openpyxl import Workbook

    from govsite.exports.tables import fill_table_sheet

    rows = [[timezone.now().replace(tzinfo=None), f"=A{n}", "+1", n, "文字"] for n in range(30)]
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    fill_table_sheet(sheet, "表", list("ABCDE"), iter(rows), widths={"B": 30},
                     number_formats={"A": "yyyy-mm-dd"}, wrap={"E"})  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = load_workbook(buffer).active  # as Excel reads it
    assert sheet.max_row == 31 and [c.font.bold for c in sheet[1]] == [True] * 5
    last = sheet[31]
    assert [c.value for c in last[1:]] == ["=A29", "+1", 29, "文字"]
    assert last[1].data_type == "s"  # shown as text, never evaluated
    assert last[0].number_format == "yyyy-mm-dd"
    assert [bool(c.alignment.wrap_text) for c in last] == [False, False, False, False, True]
    assert {c.alignment.vertical for c in last} == {"top"}
    assert (sheet.title, sheet.freeze_panes) == ("表", "A2")
    assert sheet.column_dimensions["B"].width == 30
