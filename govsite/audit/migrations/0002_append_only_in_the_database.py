"""The audit log is append-only in the database as well (R-SEC-4; 等保 2.0 三级 安全审计:
audit records protected from unexpected modification or deletion).

The application refuses to change or delete entries (``AuditEntry.save``/``delete`` and the
QuerySet's ``update``/``delete``); these triggers also refuse raw SQL and any other program
using the application's database account:

* UPDATE is refused, except the one change Django makes itself: clearing ``actor`` or
  ``target_content_type`` when that account or content type is deleted (``SET_NULL``; the
  name in ``actor_username`` and ``target_repr`` stays).
* DELETE (PostgreSQL) is refused for entries younger than ``retention.FLOOR_DAYS`` (180) days,
  the legal minimum (网络安全法 第二十一条); the retention job removes only older ones.

SQLite gets the UPDATE trigger only: Django empties tables with DELETE there (``flush``, which
the test suite runs between tests), where PostgreSQL truncates. The owner of the
tables can still drop a trigger: this guards against mistakes and against code, not against
the database's administrator (docs/audit.md).
"""

from django.db import migrations

TABLE = "audit_auditentry"
FLOOR_DAYS = 180  # govsite.audit.retention.FLOOR_DAYS, as of this migration
UNCHANGED = (
    "at",
    "actor_username",
    "action",
    "action_label",
    "category",
    "target_id",
    "target_repr",
    "summary",
    "ip_address",
    "user_agent",
)

POSTGRESQL = [
    f"""
CREATE OR REPLACE FUNCTION govsite_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF ({", ".join(f"NEW.{c}" for c in UNCHANGED)}, NEW.detail::text)
               IS NOT DISTINCT FROM ({", ".join(f"OLD.{c}" for c in UNCHANGED)}, OLD.detail::text)
           AND (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
           AND (NEW.target_content_type_id IS NULL
                OR NEW.target_content_type_id IS NOT DISTINCT FROM OLD.target_content_type_id)
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '审计日志不能修改。' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.at >= now() - interval '{FLOOR_DAYS} days' THEN
        RAISE EXCEPTION '审计日志保留期（{FLOOR_DAYS} 天）内的记录不能删除。'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql
""",
    f"""
CREATE TRIGGER govsite_audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION govsite_audit_append_only()
""",
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS govsite_audit_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS govsite_audit_append_only()",
]

SQLITE = [
    f"""
CREATE TRIGGER govsite_audit_append_only BEFORE UPDATE ON {TABLE}
WHEN NOT ({" AND ".join(f"NEW.{c} IS OLD.{c}" for c in (*UNCHANGED, "detail"))}
          AND (NEW.actor_id IS NULL OR NEW.actor_id IS OLD.actor_id)
          AND (NEW.target_content_type_id IS NULL
               OR NEW.target_content_type_id IS OLD.target_content_type_id))
BEGIN
    SELECT RAISE(ABORT, '审计日志不能修改。');
END
"""
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS govsite_audit_append_only"]


def _run(statements, schema_editor):
    for statement in statements.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}, schema_editor)


def remove(apps, schema_editor):
    _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_entry")]

    operations = [migrations.RunPython(install, remove)]
