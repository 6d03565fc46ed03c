"""The database in an archive: a consistent snapshot taken while the site runs, and its restore.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the database page by page
under one read transaction, WAL included, into a plain single-file database (journal mode
DELETE); it is restored into the configured database file with the same API.

PostgreSQL: ``pg_dump --format=custom``. The dump runs on a snapshot exported by a REPEATABLE
READ transaction in which the manifest's counts and migration state are read too, so that they
describe exactly the rows in the dump. It is restored by the script of ``pg_restore --clean
--if-exists --no-owner --no-privileges``, run by ``psql`` in one transaction after dropping
(CASCADE) every table of GovSite's models and of the dump: the target may have been migrated by
newer code, whose tables and constraints ``--clean`` alone would trip over. All or nothing.
Connection settings come from ``DATABASES`` and reach the client programs through libpq's
environment variables (``PGPASSWORD``), never the command line.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from django.db import connections

from govsite.backup import rules
from govsite.backup.archive import DATABASE_DIR, BackupError

DUMP_NAMES = {"sqlite": "db.sqlite3", "postgresql": "db.pgdump"}
# How long a SQLite copy waits for a lock before giving up (Python's backup would retry for
# ever). In WAL mode readers are never locked out by the site's writers; a restore, which
# writes, is locked out by a site still running.
SQLITE_LOCK_WAIT_SECONDS = 60
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def member_name(vendor):
    return f"{DATABASE_DIR}/{DUMP_NAMES[vendor]}"


def _supported(connection):
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库，只支持 SQLite 和 PostgreSQL。")
    return connection.vendor


def inventory(cursor, tables):
    """(applied migrations, {model label: rows}) read through a DB-API ``cursor``, on the tables
    that exist (``tables``): a database that predates an app simply lacks its counts."""
    applied = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = sorted([app, name] for app, name in cursor.fetchall())
    counts = {}
    for label, (table, _name) in rules.counted_models().items():
        if table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[label] = cursor.fetchone()[0]
    return applied, counts


def live_inventory(alias="default"):
    """The inventory of the configured database as it is now."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        return inventory(cursor, tables)


def require_database(alias="default"):
    """Refuse to back up a SQLite database file that is not there: connecting would create an
    empty one, and the backup would hold nothing. (Called before anything connects.)"""
    connection = connections[alias]
    name = connection.settings_dict["NAME"]
    if (
        _supported(connection) == "sqlite"
        and not connection.is_in_memory_db()
        and not Path(name).is_file()
    ):
        raise BackupError(f"SQLite 数据库文件不存在：{name}")


def snapshot(path, alias="default"):
    """Write a consistent copy of the database to ``path``; return its inventory."""
    connection = connections[alias]
    if _supported(connection) == "sqlite":
        return _snapshot_sqlite(connection, path)
    return _snapshot_postgresql(connection, path)


def restore(path, alias="default"):
    """Replace the configured database's content with the snapshot at ``path``."""
    connection = connections[alias]
    vendor = _supported(connection)
    connection.close()
    if vendor == "sqlite":
        _restore_sqlite(connection, path)
    else:
        _restore_postgresql(connection, path)
    connection.close()


def describe(alias="default"):
    """Where the configured database is, for messages (never with a password)."""
    settings_dict = connections[alias].settings_dict
    if connections[alias].vendor == "sqlite":
        return f"SQLite {settings_dict['NAME']}"
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"PostgreSQL {settings_dict.get('NAME')}@{host}:{port}"


# ---------------------------------------------------------------------------------------------
# SQLite


def _sqlite_tables(sqlite_connection):
    rows = sqlite_connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {name for (name,) in rows}


def _copy_sqlite(source, target):
    deadline = time.monotonic() + SQLITE_LOCK_WAIT_SECONDS

    def give_up_when_locked_too_long(status, remaining, total):
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BackupError(
                f"SQLite 数据库被占用超过 {SQLITE_LOCK_WAIT_SECONDS} 秒，已放弃"
                "（恢复时请先停止网站服务和定时任务）。"
            )

    source.backup(target, progress=give_up_when_locked_too_long)


def _snapshot_sqlite(connection, path):
    name = connection.settings_dict["NAME"]
    try:
        # A connection of its own: the copy holds committed data only, whatever the caller's
        # connection is doing.
        source = connection.get_new_connection(connection.get_connection_params())
    except sqlite3.Error as error:
        raise BackupError(f"无法打开 SQLite 数据库 {name}：{error}") from error
    try:
        target = sqlite3.connect(path)
        try:
            _copy_sqlite(source, target)
            target.execute("PRAGMA journal_mode=DELETE")
            return inventory(target.cursor(), _sqlite_tables(target))
        finally:
            target.close()
    except sqlite3.Error as error:
        raise BackupError(f"SQLite 数据库快照失败：{error}") from error
    finally:
        source.close()


def _restore_sqlite(connection, path):
    try:
        source = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"备份中的 SQLite 数据库无法打开：{error}") from error
    try:
        target = connection.get_new_connection(connection.get_connection_params())
        try:
            (mode,) = target.execute("PRAGMA journal_mode").fetchone()
            # In WAL mode a backup cannot change the page size; the copy brings its own.
            target.execute("PRAGMA journal_mode=DELETE")
            _copy_sqlite(source, target)
            target.execute(f"PRAGMA journal_mode={mode}")
        finally:
            target.close()
    except sqlite3.OperationalError as error:
        raise BackupError(
            f"无法写入 SQLite 数据库 {connection.settings_dict['NAME']}（{error}）。"
            "请先停止网站服务和定时任务，再恢复。"
        ) from error
    except sqlite3.Error as error:
        raise BackupError(f"SQLite 数据库恢复失败：{error}") from error
    finally:
        source.close()


# ---------------------------------------------------------------------------------------------
# PostgreSQL


def libpq_environment(settings_dict):
    """The environment for pg_dump/pg_restore: the process's own, plus the connection settings
    as libpq variables. The password travels here only, never in argv (visible in ``ps``)."""
    options = settings_dict.get("OPTIONS") or {}
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGPASSFILE": options.get("passfile"),
        "PGSERVICE": options.get("service"),
        "PGAPPNAME": "govsite-backup",
    }
    env = dict(os.environ)
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def client_program(name):
    """The path of a PostgreSQL client program (pg_dump, pg_restore) on PATH."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"找不到 {name}。请安装与数据库服务器同一主版本或更新的 PostgreSQL 客户端"
            "（Debian：apt install postgresql-client）。"
        )
    return found


def dump_command(snapshot_id, path):
    return [
        client_program("pg_dump"),
        "--format=custom",
        "--no-password",
        f"--snapshot={snapshot_id}",
        f"--file={path}",
    ]


def script_command(path, script):
    """pg_restore writing the SQL script that rebuilds the dump's objects and data."""
    return [
        client_program("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        f"--file={script}",
        str(path),
    ]


def psql_command(database, statements, script):
    """psql running ``statements`` then ``script`` in one transaction, stopping at an error."""
    return [
        client_program("psql"),
        "--no-psqlrc",
        "--quiet",
        "--single-transaction",
        "--set=ON_ERROR_STOP=1",
        "--no-password",
        f"--dbname={database}",
        f"--command={statements}",
        f"--file={script}",
    ]


DUMP_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ")


def dump_tables(path, env):
    """The (schema-less) names of the tables in a custom-format dump (``pg_restore --list``)."""
    listing = _run([client_program("pg_restore"), "--list", str(path)], env, "pg_restore ")
    return {match[2] for line in listing.stdout.splitlines() if (match := DUMP_TABLE.match(line))}


def _run(command, env, what):
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BackupError(f"{what}无法运行：{error}") from error
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise BackupError(f"{what}失败（退出码 {result.returncode}）：{detail}")
    return result


def _snapshot_postgresql(connection, path):
    settings_dict = connection.settings_dict
    command_env = libpq_environment(settings_dict)
    client_program("pg_dump")  # fail before opening anything
    try:
        raw = connection.Database.connect(**connection.get_connection_params())
    except connection.Database.Error as error:
        raise BackupError(f"无法连接数据库 {describe(connection.alias)}：{error}") from error
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot_id,) = cursor.fetchone()
            _run(dump_command(snapshot_id, path), command_env, "pg_dump ")
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false))"
            )
            tables = {name for (name,) in cursor.fetchall()}
            return inventory(cursor, tables)
    except connection.Database.Error as error:
        raise BackupError(f"PostgreSQL 数据库快照失败：{error}") from error
    finally:
        raw.close()  # ends the read-only transaction


def _restore_postgresql(connection, path):
    settings_dict = connection.settings_dict
    env = libpq_environment(settings_dict)
    tables = sorted(set(connection.introspection.django_table_names()) | dump_tables(path, env))
    connection.close()
    script = Path(path).with_suffix(".sql")
    _run(script_command(path, script), env, "pg_restore ")
    drop = "DROP TABLE IF EXISTS " + ", ".join(f'"{table}"' for table in tables) + " CASCADE;"
    _run(psql_command(settings_dict["NAME"], drop, script), env, "psql ")
