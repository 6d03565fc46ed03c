"""One periodic scheduler at a time across app servers: ``manage.py crontask`` holds a lock in
the shared Redis, and a second one started anywhere refuses to run — so each periodic job is
enqueued once per period however many servers there are (docs/serving.md)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# The suite's Redis (the PostgreSQL pass's REDIS_URL, else the local server's db 3).
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/3"


def redis_answers():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not redis_answers(), reason=f"Redis {REDIS_URL} 不可用")


def scheduler():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govsite.settings.test",
        "REDIS_URL": REDIS_URL,
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "crontask", "--no-heartbeat"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def read_until(process, text, seconds=60):
    deadline, seen = time.monotonic() + seconds, []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if text in line:
            return "".join(seen)
    raise AssertionError(f"{text!r} not said:\n{''.join(seen)}")


def test_a_second_scheduler_refuses_to_run_while_one_holds_the_lock():
    first = scheduler()
    try:
        started = read_until(first, "Starting scheduler")
        assert "Loaded tasks from govsite.workflow" in started
        assert "Loaded tasks from govsite.mailbox" in started

        second = scheduler()
        output, _ = second.communicate(timeout=60)
        assert "Another scheduler is already running." in output
        assert second.returncode == 0 and "Starting scheduler" not in output
    finally:
        first.send_signal(signal.SIGTERM)
        rest, _ = first.communicate(timeout=30)
    assert "Shutting down scheduler" in rest and first.returncode == 0

    # The lock went with the first: a scheduler started now runs.
    third = scheduler()
    try:
        read_until(third, "Starting scheduler")
    finally:
        third.send_signal(signal.SIGTERM)
        third.communicate(timeout=30)
