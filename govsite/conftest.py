"""Fixtures shared by every app's tests: the test database, the live server, the bootstrapped
site tree and users per role. The helpers they share are in govsite/testing/helpers.py."""

import os
import sys
import threading
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.servers.basehttp import ThreadedWSGIServer
from django.dispatch import receiver
from django.test import TransactionTestCase
from django.urls import reverse
from django.utils.http import urlencode
from pytest_django.live_server_helper import LiveServer

from govsite.columns.bootstrap import bootstrap_site
from govsite.columns.models import HomePage
from govsite.columns.signals import site_bootstrapped
from govsite.jobs.models import Job
from govsite.sections import roles
from govsite.sections.models import Section
from govsite.security.models import SecurityPolicy
from govsite.security.rules import waive_twofactor
from govsite.testing.database import TemplateDatabase
from govsite.testing.helpers import PASSWORD, section

# The browser tests' fixtures (Chromium through Playwright), for every app.
pytest_plugins = ["govsite.testing.browser"]


# Python's compiled bytecode, kept for the suite's processes in var/pycache.
BYTECODE_CACHE = Path(__file__).resolve().parents[1] / "var" / "pycache"


def pytest_configure(config):
    """Every process the suite starts compiles its imports once, not every time. Each test
    process (pytest-xdist's workers) and each process a test starts — production settings loaded
    in a fresh interpreter (tests/test_settings.py, test_hardening.py), ``manage.py restore``
    (backup), the task worker (jobs) — imports Django, Wagtail and the project: compiling their
    sources again costs ~4 s of CPU a process where ``PYTHONDONTWRITEBYTECODE`` is set (as on
    this machine), more than loading the settings being tested. The compiled files go to
    var/pycache (``PYTHONPYCACHEPREFIX``), not beside the sources nor into the virtualenv,
    and Python recompiles whatever changed; the environment the processes are tested in is
    otherwise the one they are given."""
    if os.environ.get("PYTHONPYCACHEPREFIX") or sys.pycache_prefix:
        return  # the developer chose a cache of their own
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(BYTECODE_CACHE)
    sys.dont_write_bytecode = False
    sys.pycache_prefix = str(BYTECODE_CACHE)


@receiver(site_bootstrapped, dispatch_uid="govsite.conftest.waive_second_factor")
def waive_second_factor_for_tests(sender, **kwargs):
    """The suite signs 科长, 主管主任 and administrators in with the password alone
    (``force_login``, ``client.login``, the browser tests' login form), so every bootstrap here —
    the template database's, and any a test runs itself — waives the second factor that the
    bootstrap's security policy requires (R-SEC-3). The tests of govsite.security put the
    bootstrap's default back with their ``twofactor_policy`` fixture."""
    waive_twofactor(SecurityPolicy.load())


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """The test database: a copy of the migrated and bootstrapped template, built once for
    every test process (govsite/testing/database.py). After a transactional test, instead of
    Django's flush, the template is copied again — while no live-server request is being
    answered — so the next test finds the database as the session set it up."""
    template = TemplateDatabase()
    with django_db_blocker.unblock():
        template.set_up()

    def reset_instead_of_flushing(test_case):
        with OneRequestAtATimeServer.answering:
            template.reset()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", reset_instead_of_flushing)
        yield template
    with django_db_blocker.unblock():
        template.tear_down()


@pytest.fixture
def file_database(transactional_db, django_db_setup, tmp_path):
    """On SQLite, the test runs on a file copy of the bootstrapped database, configured as in
    production (WAL, immediate transactions, a busy timeout), so that threads of its own —
    each with its own connection — can write at once; the in-memory test database refuses a
    second writer. On PostgreSQL, the test database itself."""
    with django_db_setup.on_disk(tmp_path):
        yield


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server for SQLite: every request thread uses the test's one in-memory connection,
    whose transaction state (atomic blocks, savepoints) and cached statements are not safe from
    two threads at once. A browser loads a page's scripts (``jsi18n``) while the next page is
    requested, so requests are answered whole — response read and closed — one at a time, while
    connections stay threaded (an idle keep-alive or preconnected socket blocks nobody).
    Static and media files, which never reach the database, are served beside them.

    The test itself uses the same connection: each of its queries waits for the request being
    answered (``in_turn``), such as the editor's background ping after the last click."""

    answering = threading.RLock()

    @classmethod
    def in_turn(cls, execute, sql, params, many, context):
        with cls.answering:
            return execute(sql, params, many, context)

    def set_app(self, application):
        from django.conf import settings

        lock = self.answering
        files = (settings.STATIC_URL, settings.MEDIA_URL)

        def one_at_a_time(environ, start_response):
            if environ.get("PATH_INFO", "").startswith(files):
                return application(environ, start_response)
            with lock:
                response = application(environ, start_response)
                try:
                    body = b"".join(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()
            return [body]

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's ``live_server``, answering one request at a time on in-memory SQLite."""
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    shared = list(server.thread.connections_override.values())
    if shared:
        server.thread.server_class = OneRequestAtATimeServer
    for connection in shared:
        connection.execute_wrappers.insert(0, OneRequestAtATimeServer.in_turn)
    server.start()
    yield server
    server.stop()
    for connection in shared:
        connection.execute_wrappers.remove(OneRequestAtATimeServer.in_turn)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Every test starts with an empty cache, which outlives a test's database transaction: the
    rate limits count in it (mailbox, surveys), and rolled-back tests hand out the same primary
    keys again, so what one test left cached under a key (Wagtail's renditions: an image's file
    in that test's media folder) would otherwise answer the next test's different object."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def site_tree(db):
    """The SPEC §2 tree, as bootstrapped for the session (R-TREE-1)."""
    home = HomePage.objects.first()
    if home is None:
        bootstrap_site()
        home = HomePage.objects.get()
    return home


@pytest.fixture
def make_user(site_tree):
    """make_user("mishu_xxy", "秘书科-信息员", supervises=["秘书科"])"""

    def make(username, *group_names, supervises=(), superuser=False):
        user = get_user_model().objects.create_user(
            username=username,
            password=PASSWORD,
            email=f"{username}@example.cn",
            is_superuser=superuser,
            is_staff=superuser,
        )
        user.groups.add(*[Group.objects.get(name=name) for name in group_names])
        for name in supervises:
            section(name).directors.add(user)
        return user

    return make


@pytest.fixture
def role_users(make_user):
    """One user per role: officer and chief of each section, two directors, the site
    manager and the three administrators."""
    users = {}
    for sec in Section.objects.all():
        users[sec.officer_group_name] = make_user(f"{sec.code}_officer", sec.officer_group_name)
        users[sec.chief_group_name] = make_user(f"{sec.code}_chief", sec.chief_group_name)
    users["主管主任(秘书科、文书科)"] = make_user(
        "director_a", roles.DIRECTORS, supervises=["秘书科", "文书科"]
    )
    users["主管主任(综合科、督查室、信息中心)"] = make_user(
        "director_b", roles.DIRECTORS, supervises=["综合科", "督查室", "信息中心"]
    )
    users[roles.SITE_MANAGERS] = make_user("site_manager", roles.SITE_MANAGERS)
    users[roles.SYSTEM_ADMINS] = make_user("sysadmin", roles.SYSTEM_ADMINS)
    users[roles.SECURITY_ADMINS] = make_user("secadmin", roles.SECURITY_ADMINS)
    users[roles.AUDIT_ADMINS] = make_user("auditor", roles.AUDIT_ADMINS)
    return users


@pytest.fixture
def database_queue(monkeypatch, settings):
    """Tasks go to the database queue (django-tasks-db) instead of running at once: the test
    sees what was enqueued, and when, as a worker would find it."""
    import django.tasks

    handler = django.tasks.TaskBackendHandler({"default": settings.TASK_BACKENDS["database"]})
    monkeypatch.setattr(django.tasks, "task_backends", handler)
    return handler["default"]


@pytest.fixture
def exported(client, django_capture_on_commit_callbacks):
    """Export through the admin as staff do: 导出 opens a page saying what the file will hold,
    开始导出 starts a background job and lands on the job's page, the worker writes the file,
    which is downloaded from there. ``exported(url, query)`` returns the file's bytes."""

    def run(url, query=None):
        url = f"{url}?{urlencode(query)}" if query else url
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
        assert job.result_name.endswith(url.split("?")[0].rstrip("/").rsplit("/", 1)[-1])
        return b"".join(download.streaming_content)

    return run
