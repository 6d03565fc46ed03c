"""A second, fresh GovSite instance for the round trip: its own database (a new SQLite file, or
a scratch PostgreSQL database created and dropped by the test) and its own media folders, run
the way an operator runs it — ``manage.py`` in a process of its own, configured by the
environment (DATABASE_URL, MEDIA_ROOT, PRIVATE_MEDIA_ROOT, BACKUP_ROOT; govsite/settings/base.py).
"""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

# The embedded settings: they read everything an instance needs from the environment.
SETTINGS_MODULE = "govsite.settings.dev"
# What the test process's environment must not pass on to the instance.
NOT_INHERITED = ("DJANGO_", "DATABASE_URL", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "BACKUP_ROOT",
                 "REDIS_URL", "CACHE_KEY_PREFIX", "GOVSITE_TASK_BACKEND", "AWS_", "PG",
                 "PYTEST_")  # fmt: skip
# Apps whose models have no table (django_rq's admin-only dashboard): nothing to dump.
NO_TABLES = ("django_rq",)


def tree_checksums(root):
    """{relative POSIX path: SHA-256} of every file under ``root``."""
    root = Path(root)
    sums = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            with open(path, "rb") as handle:
                sums[path.relative_to(root).as_posix()] = hashlib.file_digest(
                    handle, "sha256"
                ).hexdigest()
    return sums


def rows_by_model(dump):
    """dumpdata's list of objects as {model label: {pk: fields}}."""
    rows = {}
    for item in dump:
        rows.setdefault(item["model"], {})[json.dumps(item["pk"])] = item["fields"]
    return rows


class FreshInstance:
    def __init__(self, root):
        self.root = Path(root)
        self.media = self.root / "media"
        self.private = self.root / "private"
        self.backups = self.root / "backups"
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.database = self.root / "db.sqlite3"  # not there yet: a fresh instance
            self.url = f"sqlite:///{self.database}"
        else:
            source = connection.settings_dict
            self.database = f"{source['NAME']}_restored"[:63]
            credentials = quote(source["USER"] or "postgres", safe="")
            if source.get("PASSWORD"):
                credentials += ":" + quote(source["PASSWORD"], safe="")
            host = source.get("HOST") or "localhost"
            port = source.get("PORT") or 5432
            self.url = f"postgres://{credentials}@{host}:{port}/{self.database}"

    # -- the database --------------------------------------------------------------------------

    def _admin(self):
        import psycopg

        source = connection.settings_dict
        return psycopg.connect(
            host=source.get("HOST") or None,
            port=source.get("PORT") or None,
            user=source.get("USER") or None,
            password=source.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
        )

    def create(self):
        self.root.mkdir(parents=True, exist_ok=True)
        if self.vendor == "postgresql":
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{self.database}"')

    def drop(self):
        if self.vendor == "postgresql":
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def connect(self):
        """A DB-API connection of the test's own to the instance's database."""
        if self.vendor == "sqlite":
            return sqlite3.connect(self.database, isolation_level=None)
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def count(self, table):
        db = self.connect()
        try:
            return db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        finally:
            db.close()

    # -- manage.py -----------------------------------------------------------------------------

    def manage(self, *args, timeout=300, **environment):
        env = {k: v for k, v in os.environ.items() if not k.startswith(NOT_INHERITED)}
        env.update(
            DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
            DATABASE_URL=self.url,
            MEDIA_ROOT=str(self.media),
            PRIVATE_MEDIA_ROOT=str(self.private),
            BACKUP_ROOT=str(self.backups),
            LOG_LEVEL="WARNING",
        )
        env.update(environment)
        return subprocess.run(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *map(str, args)],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def dump_rows(self):
        """Every row of every model, as ``manage.py dumpdata --all`` gives them."""
        output = self.root / "dumpdata.json"
        excluded = [f"--exclude={app}" for app in NO_TABLES]
        result = self.manage(
            "dumpdata", "--all", *excluded, "--format=json", f"--output={output}", "-v0"
        )
        assert result.returncode == 0, result.stderr
        with open(output, encoding="utf-8") as handle:
            return rows_by_model(json.load(handle))

    def file_checksums(self):
        return {"default": tree_checksums(self.media), "private": tree_checksums(self.private)}
