"""Settings for the test suite (SQLite by default, PostgreSQL when DATABASE_URL is set)."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Each pytest-xdist worker (``make test`` runs two) writes files in folders of its own.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
MEDIA_ROOT = BASE_DIR / "var" / f"test-media-{_WORKER}"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / f"test-private-{_WORKER}"  # noqa: F405
GOVSITE_PUBLISHED_ROOT = BASE_DIR / "var" / f"test-published-{_WORKER}"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
# The Site the tests have always had (localhost:80); a test that needs another sets its own.
GOVSITE_SITE_URL = "http://localhost"
LOGGING = {"version": 1, "disable_existing_loggers": False}
# django-axes (R-SEC-3) stays on: logins through the login form are counted and locked out as in
# production. Django's test client's ``client.login()`` passes no request, which axes refuses;
# the suite's variant of its backend lets those through unchecked (govsite/security/tests).
AUTHENTICATION_BACKENDS = [  # noqa: F405
    "govsite.security.tests.backends.RequestlessLoginBackend"
    if backend == "axes.backends.AxesStandaloneBackend"
    else backend
    for backend in AUTHENTICATION_BACKENDS  # noqa: F405
]
# Static files straight from the apps: no collectstatic outside production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if STORAGES["private"]["BACKEND"].endswith("FileSystemStorage"):  # noqa: F405
    STORAGES["private"]["OPTIONS"] = {"location": PRIVATE_MEDIA_ROOT}  # noqa: F405

# With REDIS_URL (the PostgreSQL pass of `make test`, CI) the suite uses a real Redis that other
# people's processes share: every test process gets a key prefix of its own, and ``clear()`` —
# which tests call to start from an empty cache (the mailbox's rate limits, parsed text files)
# — forgets only this process's keys by moving it to a fresh namespace, never FLUSHDB. Keys it
# leaves behind expire within TEST_CACHE_MAX_SECONDS.
TEST_CACHE_MAX_SECONDS = 3600
if REDIS_URL:  # noqa: F405
    import secrets

    from django.core.cache.backends.base import DEFAULT_TIMEOUT
    from django.core.cache.backends.redis import RedisCache

    class RunScopedRedisCache(RedisCache):
        """A Redis cache whose ``clear()`` empties only this test process's view of it."""

        namespace = 0  # shared by every thread's instance (live-server threads included)

        def make_key(self, key, version=None):
            return super().make_key(f"{RunScopedRedisCache.namespace}:{key}", version)

        def clear(self):
            RunScopedRedisCache.namespace += 1
            return True

        def get_backend_timeout(self, timeout=DEFAULT_TIMEOUT):
            seconds = super().get_backend_timeout(timeout)
            if seconds is None:
                return TEST_CACHE_MAX_SECONDS
            return min(seconds, TEST_CACHE_MAX_SECONDS)

    CACHES = {
        "default": {
            **CACHES["default"],  # noqa: F405
            "BACKEND": "govsite.settings.test.RunScopedRedisCache",
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}-test-{os.getpid()}-{secrets.token_hex(4)}",  # noqa: F405
        }
    }

# Tasks run inside the test that enqueues them, at once. The tests that run a real worker
# process give it GOVSITE_TEST_QUEUE=1: there, and in those tests, tasks go through the
# configured queue (the database, or RQ in the PostgreSQL/Redis pass; govsite/jobs/tests).
TASKS = {
    "default": TASK_BACKENDS[GOVSITE_TASK_BACKEND]  # noqa: F405
    if os.environ.get("GOVSITE_TEST_QUEUE")
    else {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
}

# A second scheduler gives up waiting for the lock after 2 s here (15 s in production).
CRONTASK = {**CRONTASK, "LOCK_BLOCKING_TIMEOUT": 2}  # noqa: F405
