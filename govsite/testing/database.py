"""The suite's database comes from one template: migrated and bootstrapped once, then copied.

Migrating and running ``bootstrap_site`` costs a test process 15–20 s before its first test; a
copy costs milliseconds. The template is built by the first test process that needs it while
the others wait on a lock (``make test`` starts two, pytest-xdist's workers), and it is kept
between runs under a key: a digest of everything that decides its content — the code and data
files of ``govsite`` (test modules and the test helpers excepted; the ``conftest.py`` files and
this module counted: the suite's signal receivers take part in the bootstrap), the locked
dependencies, the versions of Python and Django. Change any of them and the next run builds it
again.

SQLite: the template is the file ``var/test-db/sqlite-<key>.sqlite3``. Each test process keeps
Django's in-memory test database (the live server's locking in govsite/conftest.py is built on
its one shared connection) and loads the template into it with SQLite's backup API.

PostgreSQL: the template is the database ``test_<NAME>_template``, its key in the database's
comment; each process creates its own (``test_<NAME>_gw0``…) with ``CREATE DATABASE …
TEMPLATE``. Building and copying happen under a PostgreSQL advisory lock, since a template
cannot be copied while anyone is connected to it.

After a transactional test (``transaction=True``, ``transactional_db``, ``live_server``) the
database is put back the same way — the template loaded again, or the process's database
created again from it — instead of Django's flush followed by a new bootstrap (on a busy
2-core machine 25–50 s a test, now well under a second).
"""

import fcntl
import hashlib
import sqlite3
import sys
from contextlib import closing, contextmanager
from pathlib import Path

import django
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]
SQLITE_TEMPLATES = ROOT / "var" / "test-db"
# The key of the advisory lock the suite's processes take on PostgreSQL (any constant will do).
POSTGRESQL_LOCK = 2026_12_05


def template_key():
    """A digest of what the template's content depends on (see the module's docstring)."""
    digest = hashlib.sha256(f"{sys.version}\0{django.__version__}\0".encode())
    for path in [ROOT / "requirements.lock", *sorted(_keyed_files(ROOT / "govsite"))]:
        digest.update(f"{path.relative_to(ROOT)}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _keyed_files(folder):
    for path in folder.rglob("*"):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        parts = path.relative_to(folder).parts
        if "tests" in parts and path.name != "conftest.py":
            continue
        if parts[0] == "testing" and path.name != "database.py":
            continue
        yield path


class TemplateDatabase:
    """The template of one connection and what the test process does with it: ``set_up()``
    once, ``reset()`` after every transactional test, ``tear_down()`` at the end."""

    def __init__(self, alias="default"):
        self.connection = connections[alias]
        self.vendor = self.connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(f"No template database for {self.vendor}.")
        self.original_name = self.connection.settings_dict["NAME"]
        self.test_name = self.connection.creation._get_test_db_name()
        self.key = template_key()
        self.path = SQLITE_TEMPLATES / f"sqlite-{self.key}.sqlite3"
        self.template = None  # SQLite: the template, open for reading as long as the process runs

    # The session ------------------------------------------------------------------------------

    def set_up(self):
        if self.vendor == "sqlite":
            self._set_up_sqlite()
        else:
            self._set_up_postgresql()

    def reset(self):
        """Put the bootstrapped database back after a transactional test."""
        if self.vendor == "sqlite":
            self._load()
        else:
            self._copy_postgresql()
        # The rows are the template's again, content types included: no cached one may
        # outlive a test that created them.
        ContentType.objects.clear_cache()

    def tear_down(self):
        self.connection.creation.destroy_test_db(self.original_name, verbosity=0)
        if self.template is not None:
            self.template.close()

    # SQLite -----------------------------------------------------------------------------------

    def _set_up_sqlite(self):
        if not self.connection.creation.is_in_memory_db(self.test_name):
            raise NotImplementedError("The SQLite template is loaded into in-memory databases.")
        SQLITE_TEMPLATES.mkdir(parents=True, exist_ok=True)
        with open(SQLITE_TEMPLATES / "build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not self.path.exists():
                self._build_sqlite()
            # Kept open: should a process with other code build a newer template and remove
            # this one meanwhile, this process still reads its own.
            self.template = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
        self._use(self.test_name)
        self._load()

    def _build_sqlite(self):
        partial = self.path.with_suffix(".partial")
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        self._use(str(partial))
        try:
            self._migrate_and_bootstrap()
            with self.connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=DELETE")  # one file, nothing beside it
        finally:
            self.connection.close()
        partial.replace(self.path)
        for older in SQLITE_TEMPLATES.glob("sqlite-*.sqlite3"):
            if older != self.path:
                older.unlink()

    def _load(self):
        """Replace the in-memory database's content with the template's."""
        self.connection.ensure_connection()
        self.template.backup(self.connection.connection)

    @contextmanager
    def on_disk(self, folder):
        """Run on a file copy of the template instead of the in-memory database: threads of
        their own (each with its own connection) write to it as in production (WAL, immediate
        transactions, a busy timeout), where the in-memory database's shared cache refuses a
        second writer at once. The in-memory database is loaded again afterwards."""
        if self.vendor != "sqlite":
            yield
            return
        memory = self.connection.settings_dict["NAME"]
        path = Path(folder) / "db.sqlite3"
        with closing(sqlite3.connect(path)) as copy:
            self.template.backup(copy)
        self._set_name(str(path))
        self.connection.close()  # the in-memory database's only connection: it is gone
        try:
            yield
        finally:
            self.connection.close()
            self._set_name(memory)
            self._load()

    # PostgreSQL -------------------------------------------------------------------------------

    def _set_up_postgresql(self):
        with self._postgresql_lock() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [self.postgresql_template],
            )
            if cursor.fetchone() != (self.key,):
                self._build_postgresql(cursor)
        self._copy_postgresql()

    @property
    def postgresql_template(self):
        return f"test_{self.original_name}_template"

    @contextmanager
    def _postgresql_lock(self):
        """A cursor on the server's maintenance database, holding the suite's advisory lock."""
        with self.connection._nodb_cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [POSTGRESQL_LOCK])
            try:
                yield cursor
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [POSTGRESQL_LOCK])

    def _build_postgresql(self, cursor):
        template = self.connection.ops.quote_name(self.postgresql_template)
        cursor.execute(f"DROP DATABASE IF EXISTS {template}")
        cursor.execute(f"CREATE DATABASE {template}")
        self._use(self.postgresql_template)
        try:
            self._migrate_and_bootstrap()
        finally:
            self.connection.close()
        # Only a finished template carries its key (a hexadecimal digest: safe to inline).
        cursor.execute(f"COMMENT ON DATABASE {template} IS '{self.key}'")

    def _copy_postgresql(self):
        """This process's database, created anew from the template (a fraction of a second).
        A test whose threads leave connections to it open fails here, naming the database."""
        quote = self.connection.ops.quote_name
        self.connection.close()
        with self._postgresql_lock() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(self.test_name)}")
            cursor.execute(
                f"CREATE DATABASE {quote(self.test_name)} "
                f"TEMPLATE {quote(self.postgresql_template)}"
            )
        self._set_name(self.test_name)

    # Both -------------------------------------------------------------------------------------

    def _migrate_and_bootstrap(self):
        """What Django's ``create_test_db`` does, and the bootstrap every test starts from."""
        from govsite.columns.bootstrap import bootstrap_site

        alias = self.connection.alias
        call_command("migrate", verbosity=0, interactive=False, database=alias, run_syncdb=True)
        call_command("createcachetable", database=alias)
        bootstrap_site()

    def _use(self, name):
        self.connection.close()
        self._set_name(name)

    def _set_name(self, name):
        # As Django's create_test_db: threads started later connect with the settings.
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
