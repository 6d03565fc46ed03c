"""R-SEC-4 in the database itself (migration 0002): raw SQL through the application's own
database account cannot change an audit entry, nor delete one younger than 180 days."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from govsite.audit.events import record
from govsite.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def raw(sql, *params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def entry(days_ago=0, **fields):
    return record(
        "login",
        actor=None,
        actor_username="mishu_officer",
        request=None,
        at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


@pytest.mark.parametrize(
    ("column", "value"),
    [("summary", "改过的说明"), ("action", "logout"), ("actor_username", "someone_else"),
     ("ip_address", "203.0.113.1"), ("detail", "{}")],
)  # fmt: skip
def test_raw_sql_cannot_change_an_entry(column, value):
    written = entry(summary="原始说明", detail={"reason": "x"})
    with pytest.raises(DatabaseError, match="审计日志不能修改"):
        raw(f"UPDATE audit_auditentry SET {column} = %s WHERE id = %s", value, written.pk)
    kept = AuditEntry.objects.get(pk=written.pk)
    assert (kept.summary, kept.action, kept.actor_username) == (
        "原始说明",
        "login",
        "mishu_officer",
    )
    assert kept.detail == {"reason": "x"} and kept.ip_address is None


def test_deleting_an_account_unlinks_its_entries_and_keeps_its_name(make_user):
    """The one change Django itself makes to entries (on_delete=SET_NULL) still goes through."""
    officer = make_user("mishu_officer", "秘书科-信息员")
    written = record("login", actor=officer, request=None)
    officer.delete()
    kept = AuditEntry.objects.get(pk=written.pk)
    assert kept.actor is None and kept.actor_username == "mishu_officer"


def test_raw_sql_cannot_delete_an_entry_within_the_legal_minimum():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps the UPDATE trigger only: Django empties its tables with DELETE")
    young, old = entry(days_ago=179), entry(days_ago=181)
    with pytest.raises(DatabaseError, match="不能删除"):
        raw("DELETE FROM audit_auditentry WHERE id = %s", young.pk)
    raw("DELETE FROM audit_auditentry WHERE id = %s", old.pk)  # what the retention job removes
    assert set(AuditEntry.objects.values_list("pk", flat=True)) >= {young.pk}
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
