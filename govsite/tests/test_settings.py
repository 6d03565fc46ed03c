"""Production refuses to start without its secrets; the embedded defaults are Chinese."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# Each test starts Django in a process of its own with the environment it gives it: the same on
# either database, so run in the SQLite pass only (Makefile).
pytestmark = pytest.mark.own_settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "www.example.gov.cn",
    "DATABASE_URL": "postgres://govsite@127.0.0.1:5432/govsite",
    "GOVSITE_SITE_URL": "https://www.example.gov.cn",
}


def load_production(env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    clean["DJANGO_SETTINGS_MODULE"] = "govsite.settings.production"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = load_production(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_production_starts_with_everything_given():
    result = load_production(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


# Scale-out by environment (REDIS_URL, S3 media), read the way the servers read it: the settings
# module imported in a fresh process with the given environment.

SCALE_OUT_ENV = (
    "REDIS_URL",
    "CACHE_KEY_PREFIX",
    "GOVSITE_INSECURE_LOCAL_HTTP",
    "GOVSITE_TASK_BACKEND",
)
S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": "govsite-media",
    "AWS_S3_ENDPOINT_URL": "https://oss.example.gov.cn",
    "AWS_S3_REGION_NAME": "cn-east-1",
    "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "secret-example",
}
REPORT = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
print(json.dumps({
    "caches": settings.CACHES,
    "session_engine": settings.SESSION_ENGINE,
    "storages": {alias: settings.STORAGES[alias] for alias in ("default", "private")},
    "storage_classes": {alias: type(storages[alias]).__name__ for alias in ("default", "private")},
    "secure": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,
               settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS],
}, default=str))
"""


def run_settings(module, env, code=REPORT):
    unset = {*PRODUCTION_ENV, *SCALE_OUT_ENV, *S3_ENV}
    clean = {k: v for k, v in os.environ.items() if k not in unset and not k.startswith("AWS_")}
    clean["DJANGO_SETTINGS_MODULE"] = module
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def production_report(**env):
    result = run_settings("govsite.settings.production", {**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_cache_and_sessions_without_redis():
    report = production_report()
    assert report["caches"]["default"]["BACKEND"].endswith("locmem.LocMemCache")
    assert report["session_engine"] == "django.contrib.sessions.backends.db"


def test_redis_url_selects_the_shared_cache_and_cached_sessions():
    report = production_report(REDIS_URL="redis://:pw@redis.internal:6379/2", CACHE_KEY_PREFIX="qz")
    default = report["caches"]["default"]
    assert default["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert default["LOCATION"] == "redis://:pw@redis.internal:6379/2"
    assert default["KEY_PREFIX"] == "qz"
    assert report["session_engine"] == "django.contrib.sessions.backends.cached_db"


TASKS_REPORT = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({"tasks": settings.TASKS, "rq": settings.RQ_QUEUES, "cron": settings.CRONTASK}))
"""


def tasks_report(**env):
    return run_settings("govsite.settings.production", {**PRODUCTION_ENV, **env}, TASKS_REPORT)


def test_the_embedded_queue_is_the_database_and_one_scheduler_needs_no_lock():
    result = tasks_report()
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["tasks"] == {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert report["cron"]["REDIS_URL"] is None


def test_scale_out_puts_tasks_on_redis_and_locks_the_scheduler_there():
    url = "redis://:pw@redis.internal:6379/2"
    result = tasks_report(GOVSITE_TASK_BACKEND="rq", REDIS_URL=url)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["tasks"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert report["rq"]["default"]["URL"] == url and report["cron"]["REDIS_URL"] == url


@pytest.mark.parametrize(
    "env, refusal",
    [
        ({"GOVSITE_TASK_BACKEND": "rq"}, "GOVSITE_TASK_BACKEND=rq 需要同时设置 REDIS_URL。"),
        ({"GOVSITE_TASK_BACKEND": "celery"}, "GOVSITE_TASK_BACKEND 只能是 database、rq。"),
    ],
)
def test_a_task_queue_that_cannot_work_refuses_to_start(env, refusal):
    result = tasks_report(**env)
    assert result.returncode != 0 and refusal in result.stderr


def test_local_media_and_private_files_without_s3():
    report = production_report()
    assert report["storage_classes"] == {
        "default": "FileSystemStorage",
        "private": "FileSystemStorage",
    }
    assert report["storages"]["private"]["OPTIONS"]["location"] == str(ROOT / "var" / "private")


def test_s3_media_keeps_letters_attachments_private():
    report = production_report(**S3_ENV)
    assert report["storage_classes"] == {"default": "S3Storage", "private": "S3Storage"}
    public = report["storages"]["default"]["OPTIONS"]
    private = report["storages"]["private"]["OPTIONS"]
    for options in (public, private):
        assert options["bucket_name"] == "govsite-media"
        assert options["endpoint_url"] == "https://oss.example.gov.cn"
        assert options["region_name"] == "cn-east-1"
        assert options["file_overwrite"] is False
        assert "access_key" not in options and "secret_key" not in options  # never settings
    assert public["location"] == "media" and public["querystring_auth"] is False
    assert private["location"] == "private" and private["default_acl"] == "private"
    assert private["querystring_auth"] is True and private["custom_domain"] is None


def test_s3_urls_signed_for_private_files_only():
    """The storages as the application builds them: the letters' field uses the private one,
    whose URLs are signed and short-lived; public media URLs are plain (no network needed)."""
    code = """
import django
django.setup()
from django.core.files.storage import storages
from govsite.mailbox.models import Letter
field = Letter._meta.get_field("attachment")
assert field.storage is storages["private"], field.storage
print(storages["default"].url("images/a.jpg"))
print(storages["private"].url("letters/2026/11/a.pdf"))
"""
    result = run_settings("govsite.settings.production", {**PRODUCTION_ENV, **S3_ENV}, code)
    assert result.returncode == 0, result.stderr
    public, private = result.stdout.split()
    assert public == "https://oss.example.gov.cn/govsite-media/media/images/a.jpg"
    assert private.startswith("https://oss.example.gov.cn/govsite-media/private/letters/")
    assert "X-Amz-Signature=" in private and "X-Amz-Expires=300" in private
    assert "X-Amz-" not in public


def test_insecure_local_http_is_for_loopback_only():
    report = production_report()
    assert report["secure"] == [True, True, True, 31536000]
    report = production_report(ALLOWED_HOSTS="127.0.0.1,localhost", GOVSITE_INSECURE_LOCAL_HTTP="1")
    assert report["secure"] == [False, False, False, 0]
    result = run_settings(
        "govsite.settings.production", {**PRODUCTION_ENV, "GOVSITE_INSECURE_LOCAL_HTTP": "1"}
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "GOVSITE_INSECURE_LOCAL_HTTP" in result.stderr


def redis_answers():
    import redis

    try:
        return redis.Redis(socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_answers(), reason="Redis 127.0.0.1:6379 不可用")
def test_test_settings_clear_only_their_own_redis_keys():
    """The suite on a shared Redis: a key prefix per process, and clear() never FLUSHDB."""
    neighbour = f"someone-else-{os.getpid()}"
    code = f"""
import django
django.setup()
import redis
from django.conf import settings
from django.core.cache import cache
raw = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
raw.set("{neighbour}", "keep", ex=60)
cache.set("throttle", 3)
assert cache.get("throttle") == 3
assert 0 < raw.ttl(cache.make_key("throttle")) <= 3600  # nothing is left forever
cache.clear()
assert cache.get("throttle") is None
assert raw.get("{neighbour}") == b"keep"
raw.delete("{neighbour}")
print(settings.CACHES["default"]["KEY_PREFIX"])
"""
    env = {"REDIS_URL": "redis://127.0.0.1:6379/3"}
    first = run_settings("govsite.settings.test", env, code)
    second = run_settings("govsite.settings.test", env, code)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert first.stdout.startswith("govsite-test-")
    assert first.stdout != second.stdout  # one prefix per run


MAILER_REPORT = """
import json, warnings, django
warnings.simplefilter("error")  # a deprecated mail setting would stop the process
django.setup()
from django.core.mail import mailers
mailer = mailers.default
print(json.dumps({
    "class": type(mailer).__module__ + "." + type(mailer).__name__,
    "host": getattr(mailer, "host", None), "port": getattr(mailer, "port", None),
    "username": getattr(mailer, "username", None), "use_tls": getattr(mailer, "use_tls", None),
}))
"""
MAIL_ENV = ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD")


def mailer_report(module="govsite.settings.production", **env):
    unset = {name: "" for name in MAIL_ENV if name not in env}
    result = run_settings(module, {**PRODUCTION_ENV, **unset, **env}, MAILER_REPORT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_review_notices_go_out_through_the_smtp_server_the_environment_names():
    """R-FLOW-6's e-mail notices: the office's SMTP server, account and TLS come from the
    environment, through Django's MAILERS (no deprecated EMAIL_* setting is defined)."""
    report = mailer_report(
        EMAIL_HOST="smtp.example.gov.cn",
        EMAIL_PORT="465",
        EMAIL_HOST_USER="govsite",
        EMAIL_HOST_PASSWORD="secret-example",
        EMAIL_USE_TLS="true",
    )
    assert report == {
        "class": "django.core.mail.backends.smtp.EmailBackend",
        "host": "smtp.example.gov.cn",
        "port": 465,
        "username": "govsite",
        "use_tls": True,
    }


def test_production_sends_by_smtp_and_development_writes_mail_to_the_console():
    assert mailer_report() == {
        "class": "django.core.mail.backends.smtp.EmailBackend",
        "host": "localhost",
        "port": 25,
        "username": None,
        "use_tls": False,
    }
    assert mailer_report("govsite.settings.dev")["class"] == (
        "django.core.mail.backends.console.EmailBackend"
    )
