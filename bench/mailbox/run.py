r"""Concurrent letters to 沟通信箱 (R-MAIL-1: nothing accepted is ever lost).

    .venv/bin/python bench/mailbox/run.py [--seconds 30] [--clients 16] [--port 8091]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_mailbox \
        .venv/bin/python bench/mailbox/run.py

Builds a throw-away database (a temporary SQLite file, or the given DATABASE_URL, which is
dropped and recreated), serves the site on loopback in the production configuration exactly as
`make serve` starts it (deploy/serve.py: nginx in front of gunicorn, production settings), lifts
the per-source limit (every client here is 127.0.0.1), and lets ``--clients`` writers send
letters through the real form —
page, captcha, CSRF and all — for ``--seconds``. Prints letters accepted per second, the
latency of the accepting POST, and checks that every letter answered with a tracking number is
stored, with dense numbers. Not a test: figures go to bench/README.md with this command.
"""

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import serve  # noqa: E402 (deploy/serve.py: the production configuration of `make serve`)

WRITE = "/zxjl/gtxx/write/"


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def prepare(env):
    url = env["DATABASE_URL"]
    if url.startswith("postgres"):
        import psycopg

        parsed = urllib.parse.urlparse(url)
        name = parsed.path.lstrip("/")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    serve.prepare_environment(env, demo=False)
    manage("shell", "-c", "from govsite.mailbox.models import MailboxSettings as M; "
           "s = M.load(); s.letters_per_hour = 0; s.save()", env=env)  # fmt: skip


def writer(base, deadline, results, lock):
    from django.contrib.sessions.backends.db import SessionStore

    from govsite.mailbox import captcha

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    number = 0
    while time.monotonic() < deadline:
        page = opener.open(base + WRITE).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        cookies = {cookie.name: cookie.value for cookie in jar}
        answer = captcha.answer_for(SessionStore(cookies["sessionid"]).load())
        number += 1
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "name": "测试",
                "phone": "13800000000",
                "email": "",
                "kind": "consult",
                "subject": f"压力测试来信 {threading.get_ident()}-{number}",
                "text": "关于小区门口道路维修的建议。" * 20,
                "captcha": answer,
            }
        ).encode()
        request = urllib.request.Request(base + WRITE, data=data, headers={"Referer": base + WRITE})
        started = time.perf_counter()
        try:
            response = opener.open(request)
            status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        elapsed = time.perf_counter() - started
        with lock:
            results.append((status, elapsed))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8091)
    options = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-mailbox-"))
    base_env = dict(
        os.environ,
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{scratch}/bench.sqlite3",
        MEDIA_ROOT=str(scratch / "media"),
        PRIVATE_MEDIA_ROOT=str(scratch / "private"),
        PUBLISHED_ROOT=str(scratch / "published"),
        GUNICORN_LOG_LEVEL="warning",
    )
    env = serve.serve_environment(options.port, run_dir=scratch / "run", base=base_env)
    prepare(env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from govsite.mailbox.models import Letter

    connection.close()
    processes = serve.start(env, scratch / "run", options.port, scheduler=False, access_log=False)
    base = f"http://127.0.0.1:{options.port}"
    try:
        results, lock = [], threading.Lock()
        deadline = time.monotonic() + options.seconds
        threads = [
            threading.Thread(target=writer, args=(base, deadline, results, lock))
            for _ in range(options.clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.monotonic() - started
    finally:
        serve.stop(processes)

    accepted = [elapsed for status, elapsed in results if status == 302]
    refused = len(results) - len(accepted)
    stored = Letter.objects.count()
    numbers = sorted(int(n.rsplit("-", 1)[1]) for n in Letter.objects.values_list(
        "tracking_number", flat=True))  # fmt: skip
    accepted.sort()
    print(
        f"database: {env['DATABASE_URL'].split(':', 1)[0]}; nginx + gunicorn (make serve); "
        f"{options.clients} clients, {took:.0f} s"
    )
    print(
        f"accepted {len(accepted)} letters ({len(accepted) / took:.1f}/s), refused {refused}; "
        f"POST latency median {statistics.median(accepted) * 1000:.0f} ms, "
        f"p95 {accepted[int(len(accepted) * 0.95)] * 1000:.0f} ms"
    )
    dense = numbers == list(range(1, len(numbers) + 1))
    print(f"stored {stored}; accepted == stored: {stored == len(accepted)}; numbers dense: {dense}")


if __name__ == "__main__":
    main()
