"""CSP violation reports (R-SEC-5, R-SEC-4; govsite/security/reports.py): what a browser blocked
reaches the audit log once per distinct violation, within a per-source limit, and bad input is
refused without touching it."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from govsite.audit.models import AuditEntry, Category
from govsite.sections import roles
from govsite.security import reports

pytestmark = pytest.mark.django_db
VISITOR = "198.51.100.7"
INJECTED = "https://evil.example/x.js"


def report(blocked=INJECTED, page="https://www.example.gov.cn/xxgk/", **extra):
    return {
        "csp-report": {
            "document-uri": page,
            "referrer": "",
            "violated-directive": "script-src-elem",
            "effective-directive": "script-src-elem",
            "original-policy": "default-src 'self'; report-uri /csp-report/",
            "disposition": "enforce",
            "blocked-uri": blocked,
            "source-file": page,
            "line-number": 12,
            "column-number": 5,
            "status-code": 200,
            **extra,
        }
    }


def send(client, body, content_type="application/csp-report", **headers):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(reverse("csp_report"), data, content_type=content_type, **headers)


def violations():
    return AuditEntry.objects.filter(action="csp_violation")


def test_a_blocked_script_becomes_one_entry_of_the_audit_log(site_tree):
    visitor = Client(enforce_csrf_checks=True, REMOTE_ADDR=VISITOR)  # browsers send no token
    response = send(visitor, report(), HTTP_USER_AGENT="Mozilla/5.0 Chrome/140")
    assert response.status_code == 204
    (entry,) = violations()
    assert entry.category == Category.SECURITY
    assert entry.action_label == "浏览器拦截违反内容安全策略的内容"
    assert entry.summary == (
        f"script-src-elem 拦截 {INJECTED}（页面 https://www.example.gov.cn/xxgk/）"
    )
    assert entry.detail["blocked-uri"] == INJECTED
    assert entry.detail["line-number"] == "12" and entry.detail["disposition"] == "enforce"
    assert "original-policy" not in entry.detail  # only the fields that say what happened
    # A visitor's address and browser are not kept, as for letters.
    assert entry.actor is None and entry.ip_address is None and entry.user_agent == ""


def test_an_officers_report_keeps_who_and_where(client, make_user):
    officer = make_user("mishu_officer", "秘书科-信息员")
    client.force_login(officer)
    send(client, report(page="https://www.example.gov.cn/admin/pages/3/edit/"), REMOTE_ADDR=VISITOR)
    (entry,) = violations()
    assert entry.actor == officer and entry.ip_address == VISITOR


def test_the_same_violation_is_recorded_once_an_hour(client, site_tree):
    for _ in range(3):
        assert send(client, report(), REMOTE_ADDR=VISITOR).status_code == 204
    send(client, report(blocked="https://other.example/y.js"), REMOTE_ADDR=VISITOR)
    assert sorted(e.detail["blocked-uri"] for e in violations()) == [
        "https://evil.example/x.js",
        "https://other.example/y.js",
    ]


def test_one_source_cannot_flood_the_log(client, site_tree):
    limit = reports.REPORTS_PER_SOURCE
    for n in range(limit + 5):
        response = send(client, report(blocked=f"https://evil.example/{n}.js"), REMOTE_ADDR=VISITOR)
        assert response.status_code == 204  # the sender learns nothing about the limit
    assert violations().count() == limit
    send(client, report(blocked="https://evil.example/late.js"), REMOTE_ADDR="203.0.113.9")
    assert violations().count() == limit + 1  # another source is still heard


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"not json", "application/csp-report", 400),
        (b"\xff\xfe", "application/csp-report", 400),
        ([1, 2, 3], "application/json", 400),
        ({"something": "else"}, "application/json", 400),
        ({"csp-report": "text"}, "application/csp-report", 400),
        ({"csp-report": {"blocked-uri": INJECTED}}, "application/csp-report", 400),
        (b"{" + b" " * (reports.MAX_REPORT_BYTES + 1) + b"}", "application/csp-report", 413),
    ],
    ids=[
        "not-json",
        "not-utf8",
        "a-list",
        "no-report",
        "report-not-object",
        "no-directive",
        "too-big",
    ],
)
def test_what_is_not_a_report_is_refused_and_records_nothing(client, body, content_type, status):
    assert send(client, body, content_type).status_code == status
    assert not violations().exists()


def test_only_posts_are_taken(client):
    assert client.get(reverse("csp_report")).status_code == 405


def test_fields_are_cut_and_shown_to_the_auditor_as_text(client, role_users):
    payload = "<script>alert(1)</script>" + "x" * 1000
    send(client, report(blocked=payload), REMOTE_ADDR=VISITOR)
    (entry,) = violations()
    assert entry.detail["blocked-uri"] == payload[: reports.FIELD_LENGTH]
    client.force_login(role_users[roles.AUDIT_ADMINS])
    for url in (reverse("govsite_audit:index"), reverse("govsite_audit:detail", args=[entry.pk])):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html, url
