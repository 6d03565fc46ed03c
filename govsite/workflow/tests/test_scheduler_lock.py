"""One scheduler acts per tick when several run (several app servers), against the real Redis.

Every test uses a key prefix of its own on the shared Redis (REDIS_URL, or db 3 of the local
server), whose keys expire within two windows: other people use this Redis, nothing here
flushes or scans it.
"""

import os
import threading
import uuid
from io import StringIO

import pytest
import redis
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError

from ..management.commands import run_scheduler
from ..management.commands.run_scheduler import TICK_KEY, claim_tick, window_of

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/3"


def redis_answers():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not redis_answers(), reason=f"Redis {REDIS_URL} 不可用")


@pytest.fixture
def shared_cache(settings):
    """The default cache is Redis under a prefix unique to this test."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"govsite-locktest-{uuid.uuid4().hex}",
        }
    }
    return cache


@pytest.fixture(autouse=True)
def keep_the_test_transaction(monkeypatch):
    monkeypatch.setattr(run_scheduler, "close_old_connections", lambda: None)


def test_windows_are_counted_from_the_epoch():
    assert window_of(1_800_000_059.9, 60) == 1_800_000_000
    assert window_of(1_800_000_060.0, 60) == 1_800_000_060
    assert window_of(1_800_000_061.0, 30) == 1_800_000_060


def test_one_scheduler_per_window(shared_cache):
    now = 1_800_000_030.0
    assert claim_tick(60, now=now, owner="server-a")
    assert not claim_tick(60, now=now + 20, owner="server-b")  # same window: taken
    assert claim_tick(60, now=now + 25, owner="server-a")  # its holder may act again
    assert claim_tick(60, now=now + 30, owner="server-b")  # the next window is free
    assert not claim_tick(60, now=now + 31, owner="server-a")


def test_the_claim_expires_after_two_windows(shared_cache):
    assert claim_tick(60, now=1_800_000_000.0, owner="server-a")
    client = redis.Redis.from_url(REDIS_URL)
    ttl = client.ttl(shared_cache.make_key(f"{TICK_KEY}.1800000000"))
    assert 0 < ttl <= 120


def test_racing_schedulers_claim_a_window_once(shared_cache, settings):
    """Eight schedulers on their own connections claim the same window at the same moment."""
    from django.core.cache.backends.redis import RedisCache

    params = settings.CACHES["default"]
    start = threading.Barrier(8)
    winners = []

    def scheduler(number):
        own = RedisCache(REDIS_URL, {"KEY_PREFIX": params["KEY_PREFIX"]})
        key = f"{TICK_KEY}.{window_of(1_800_000_000.0, 60)}"
        start.wait()
        if own.add(key, f"server-{number}", timeout=120):
            winners.append(number)

    threads = [threading.Thread(target=scheduler, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1
    assert claim_tick(60, now=1_800_000_001.0, owner=f"server-{winners[0]}")
    assert not claim_tick(60, now=1_800_000_001.0, owner="server-x")


def test_once_stands_aside_when_another_server_has_the_tick(shared_cache, monkeypatch):
    assert claim_tick(60, owner="another-server")
    ran = []
    monkeypatch.setattr(run_scheduler, "call_command", lambda *a, **k: ran.append(a))
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "本轮已由另一台服务器上的定时任务执行" in out.getvalue()
    assert ran == []  # publish_scheduled did not run


@pytest.mark.django_db
def test_once_acts_on_a_free_tick_and_keeps_it(shared_cache, site_tree):
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "没有到时需要发布或下线的内容" in out.getvalue()
    assert not claim_tick(60, owner="another-server")


def test_an_unreachable_cache_skips_the_tick(settings, monkeypatch):
    """Port 1 on loopback: nothing listens. The tick is skipped (and cron is told), not run
    unguarded beside the other servers' schedulers."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    ran = []
    monkeypatch.setattr(run_scheduler, "call_command", lambda *a, **k: ran.append(a))
    with pytest.raises(CommandError, match="定时任务锁不可用"):
        call_command("run_scheduler", "--once", stdout=StringIO())
    assert ran == []
