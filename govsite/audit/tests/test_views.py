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

from govsite.audit import exports
from govsite.audit.events import record
from govsite.audit.models import AuditEntry, Category
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


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel on a Chinese Windows reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers, *rows = sheet.values
    return [dict(zip(headers, row, strict=True)) for row in rows]


def test_csv_export_holds_the_filtered_entries(client, auditor, log):
    client.force_login(auditor)
    response = client.get(export_url("csv", actor="mishu_officer"), **CLIENT)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [row["操作"] for row in rows] == ["发布", "登录失败", "登录成功"]
    failure = rows[1]
    assert failure["操作人"] == "mishu_officer" and failure["IP 地址"] == "198.51.100.5"
    assert failure["类别"] == "登录" and failure["操作代码"] == "login_failed"
    assert failure["浏览器"] == "Firefox/130"
    expected_time = timezone.localtime(log["failure"].at).strftime("%Y-%m-%d %H:%M:%S")
    assert failure["时间"] == expected_time


def test_xlsx_export_holds_the_filtered_entries(client, auditor, log):
    client.force_login(auditor)
    response = client.get(export_url("xlsx", category=Category.ACCOUNTS, actor="auditor"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    [row] = xlsx_rows(response)
    assert row["操作"] == "加入用户组" and row["对象"] == "mishu_officer"
    assert row["对象类型"] == "用户" and row["说明"] == "用户组：秘书科-信息员"
    assert '"name": "秘书科-信息员"' in row["详情"]
    assert row["时间"] == timezone.localtime(log["groups"].at).replace(tzinfo=None, microsecond=0)


def test_each_export_is_recorded(client, auditor, log):
    client.force_login(auditor)
    client.get(export_url("xlsx", action="login_failed"), **CLIENT)
    b"".join(client.get(export_url("csv"), **CLIENT).streaming_content)
    xlsx_run, csv_run = AuditEntry.objects.filter(action="audit_exported").order_by("pk")
    assert xlsx_run.actor == auditor and xlsx_run.category == Category.AUDIT
    assert xlsx_run.detail["format"] == "xlsx" and xlsx_run.detail["rows"] == 1
    assert xlsx_run.detail["filters"] == {"action": ["login_failed"]}
    assert xlsx_run.ip_address == "203.0.113.7"
    assert csv_run.detail["format"] == "csv"
    assert csv_run.detail["rows"] == AuditEntry.objects.filter(pk__lt=csv_run.pk).count()


def test_a_bad_filter_exports_nothing_and_says_why(client, auditor, log):
    client.force_login(auditor)
    response = client.get(export_url("csv", ip="not-an-address"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse(INDEX))
    assert "筛选条件有误，未导出" in response.content.decode()
    assert not AuditEntry.objects.filter(action="audit_exported").exists()
    assert client.get(export_url("pdf")).status_code == 404


def test_too_many_rows_for_excel_are_refused_with_advice(client, auditor, log, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    client.force_login(auditor)
    response = client.get(export_url("xlsx"), follow=True)
    assert "超过 Excel 导出的上限 2 条" in response.content.decode()
    assert not AuditEntry.objects.filter(action="audit_exported").exists()


HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(1,1)"]


def test_nothing_typed_by_anyone_runs_as_a_formula(client, auditor, db):
    class Request:
        META = {"REMOTE_ADDR": "192.0.2.1", "HTTP_USER_AGENT": "@SUM(1,1)"}

    for text in HOSTILE:
        record("login_failed", actor=None, actor_username=text, target_repr=text, request=Request)
    client.force_login(auditor)
    rows = csv_rows(client.get(export_url("csv", action="login_failed")))
    assert sorted(row["操作人"] for row in rows) == sorted("'" + text for text in HOSTILE)
    assert {row["浏览器"] for row in rows} == {"'@SUM(1,1)"}

    sheet = load_workbook(io.BytesIO(client.get(export_url("xlsx", action="login_failed")).content))
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


def test_fill_table_sheet_lays_out_every_row(db):
    """The shared .xlsx table (``govsite.exports.tables.fill_table_sheet``), which counts its rows
    itself: every row written, formula-like text kept as text, formats and wrapping per column."""
    from openpyxl import Workbook

    from govsite.exports.tables import fill_table_sheet

    rows = [[timezone.now().replace(tzinfo=None), f"=A{n}", "+1", n, "文字"] for n in range(30)]
    sheet = Workbook().active
    fill_table_sheet(sheet, "表", list("ABCDE"), iter(rows), widths={"B": 30},
                     number_formats={"A": "yyyy-mm-dd"}, wrap={"E"})  # fmt: skip
    assert sheet.max_row == 31 and [c.font.bold for c in sheet[1]] == [True] * 5
    last = sheet[31]
    assert [c.value for c in last[1:]] == ["=A29", "+1", 29, "文字"]
    assert last[1].data_type == "s"  # shown as text, never evaluated
    assert last[0].number_format == "yyyy-mm-dd"
    assert [c.alignment.wrap_text for c in last] == [False, False, False, False, True]
    assert (sheet.title, sheet.freeze_panes) == ("表", "A2")
    assert sheet.column_dimensions["B"].width == 30
