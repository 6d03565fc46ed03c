r"""Public pages at the static-file limit, and publish-to-visible (issue 7, item 6).

    .venv/bin/python bench/serving/run.py [--seconds 10] [--connections 32] [--articles 500]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_serving \
        .venv/bin/python bench/serving/run.py

Builds a throw-away site under var/bench/serving (a fresh SQLite file, or the given
DATABASE_URL, dropped and recreated): migrate, collectstatic, bootstrap_site, the demo data,
and ``generate_content --articles N`` when that command exists. Then, in one run, side by side,
for the homepage, a column list page and an article page, ``wrk -t2 -c32 --latency`` for 10 s
on loopback against

  (a) the application: gunicorn (deploy/gunicorn.conf.py) on TCP, nothing in front of it;
      every request is rendered (its own published tree, so (b)'s files stay untouched);
  (b) the production configuration as `make serve` runs it (deploy/serve.py): nginx with
      deploy/nginx/govsite.conf, the published files, gunicorn behind it on a Unix socket;
  (c) nginx serving the very bytes (b) serves, copied into a plain static root;

prints requests/s and p99 with the ratios to (c); (b) and (c) are measured in alternating
halves of 5 s (b c b c). Both nginx instances share one nginx.conf
(worker_processes auto, access log off: at 100k requests/s a log line per request would be
measured too). Then publish-to-visible: an article is edited by its section's officer,
submitted, approved by the chief, and the timer starts when the director gives the last
approval (which publishes, govsite.workflow.actions.publish_approved); it stops when nginx
serves the new title at the article's URL, and again when the column list shows it, as seen by
two visitors in processes of their own polling every 2 ms.

Not a test: figures go to bench/README.md with the command. wrk is Debian's package, installed
with apt-get when missing.
"""

import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import render_nginx  # noqa: E402
import serve  # noqa: E402

SCRATCH = ROOT / "var" / "bench" / "serving"
WRK = "/usr/bin/wrk"
PORTS = {"a": 8201, "b": 8202, "c": 8203}


def ensure_wrk():
    if not os.path.exists(WRK):
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
            stdout=subprocess.DEVNULL,
        )
    if not os.path.exists(serve.NGINX):
        subprocess.run(["make", "-C", str(ROOT), "nginx"], check=True)


def fresh_database(url):
    if url.startswith("postgres"):
        import psycopg

        name = urllib.parse.urlparse(url).path.lstrip("/")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')


def has_command(name, env):
    out = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return name in out.stdout.split()


def get(url, timeout=30):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


def page_weight(base, path):
    """[(what, bytes, gzipped bytes)] of a page as (b) serves it: its HTML, then every
    stylesheet and script it links (issue 17 item 6: the homepage ≤ 60 KB before images)."""
    html = get(base + path)[2]
    parts = [("HTML", html)]
    for linked in re.findall(rb'<(?:link rel="stylesheet" href|script [^>]*src)="([^"]+)"', html):
        name = linked.decode()
        parts.append((name.rsplit("/", 1)[-1], get(base + name)[2]))
    return [(what, len(data), len(gzip.compress(data))) for what, data in parts]


def pick_pages():
    """(homepage, column list, article) paths: the newest live article and its column."""
    from govsite.columns.models import ArticlePage
    from govsite.publishing.rules import public_path

    article = ArticlePage.objects.live().public().order_by("-first_published_at", "-pk").first()
    column = article.get_parent()
    return {
        "home": "/",
        "list": public_path(column.url_path),
        "article": public_path(article.url_path),
    }, article


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url, seconds, connections):
    """(requests/s, p99 ms, non-2xx count) of one wrk run."""
    out = subprocess.run(
        [WRK, "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, float(value) * UNITS[unit], int(errors[1]) if errors else 0


def static_nginx(run_dir, port, pages, published_root):
    """(c): a server block with nothing but a root holding copies of (b)'s published files."""
    copies = run_dir / "html"
    copies.mkdir(parents=True, exist_ok=True)
    names = {}
    for number, (label, path) in enumerate(pages.items()):
        source = Path(published_root) / path.strip("/") / "index.html"
        names[label] = f"/page{number}.html"
        shutil.copyfile(source, copies / f"page{number}.html")
    site = f"""server {{
    listen 127.0.0.1:{port};
    server_name 127.0.0.1;
    root {copies};
    charset utf-8;
}}
"""
    conf = render_nginx.write_run_dir(run_dir, site, access_log=False)
    return serve.start_nginx(conf, run_dir, f"127.0.0.1:{port}"), names


WATCHER = """
import sys, time, urllib.request
url, marker = sys.argv[1], sys.argv[2].encode()
print("ready", flush=True)
deadline = time.perf_counter() + 30
while time.perf_counter() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            body = response.read()
    except OSError:
        body = b""
    if marker in body:
        print(time.perf_counter(), flush=True)
        break
    time.sleep(0.002)
"""


def watch(url, marker):
    """A visitor in a process of its own, polling ``url`` every 2 ms until the page holds
    ``marker``; it prints when (CLOCK_MONOTONIC, the same clock in every process)."""
    watcher = subprocess.Popen(
        [sys.executable, "-c", WATCHER, url, marker], stdout=subprocess.PIPE, text=True
    )
    assert watcher.stdout.readline().strip() == "ready"
    return watcher


def seen_at(watcher, since):
    out = watcher.communicate(timeout=60)[0].strip()
    return float(out) - since if out else None


def publish_to_visible(base, article_id, pages, rounds):
    """Seconds from the last approval to nginx serving the new title: article page, list."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page, TaskState

    from govsite.sections import rules

    page = Page.objects.get(pk=article_id).specific
    section = rules.owning_section(page)
    users = get_user_model().objects.filter(is_active=True)
    officer = users.filter(groups=section.officer_group).first()
    chief = users.filter(groups=section.chief_group).exclude(pk=officer.pk).first()
    director = section.directors.exclude(pk__in=[officer.pk, chief.pk]).first()
    results = []
    for number in range(rounds):
        page = Page.objects.get(pk=article_id).specific
        marker = f"更新{number}-{os.getpid()}"
        page.title = re.sub(r"（更新[^）]*）$", "", page.title) + f"（{marker}）"
        page.save_revision(user=officer)
        page.get_workflow().start(page, officer)
        state = page.current_workflow_state
        while True:
            state.refresh_from_db()
            task_state = state.current_task_state
            if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
                raise RuntimeError(f"workflow stopped: {state.status} (screening?)")
            task = task_state.task.specific
            reviewer = next(u for u in (chief, director) if task.may_act(page, u))
            if reviewer == director:
                break
            task.on_action(task_state, reviewer, "approve")
        watchers = [watch(base + pages[key], marker) for key in ("article", "list")]
        time.sleep(0.2)  # both polling
        since = time.perf_counter()
        task.on_action(task_state, director, "approve")  # the last approval publishes
        approved = time.perf_counter() - since
        results.append((approved, *(seen_at(watcher, since) for watcher in watchers)))
        time.sleep(0.5)
    return results


def ms(seconds):
    return "not seen in 30 s" if seconds is None else f"{seconds * 1000:.0f} ms"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--articles", type=int, default=500, help="generate_content, if present")
    parser.add_argument("--rounds", type=int, default=5, help="publish-to-visible rounds")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the SQLite site of the previous run"
    )
    parser.add_argument(
        "--max-load", type=float, default=1.5, help="wait (up to 10 min) for a quieter machine"
    )
    options = parser.parse_args()
    ensure_wrk()

    reuse = options.reuse and (SCRATCH / "db.sqlite3").exists()
    if reuse:
        for name in ("published", "published-a", "run-a", "run-b", "run-c"):
            shutil.rmtree(SCRATCH / name, ignore_errors=True)
    else:
        shutil.rmtree(SCRATCH, ignore_errors=True)
    SCRATCH.mkdir(parents=True, exist_ok=True)
    run_b, run_c = SCRATCH / "run-b", SCRATCH / "run-c"
    base_env = dict(
        os.environ,
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{SCRATCH / 'db.sqlite3'}",
        MEDIA_ROOT=str(SCRATCH / "media"),
        PRIVATE_MEDIA_ROOT=str(SCRATCH / "private"),
        PUBLISHED_ROOT=str(SCRATCH / "published"),
        LOG_LEVEL="WARNING",
        GUNICORN_LOG_LEVEL="warning",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",  # review notices
    )
    env = serve.serve_environment(PORTS["b"], run_dir=run_b, base=base_env)
    started = time.perf_counter()
    if not reuse:
        fresh_database(env["DATABASE_URL"])
    serve.prepare_environment(env, demo=True)
    articles = 0
    if options.articles and not reuse and has_command("generate_content", env):
        serve.manage("generate_content", "--articles", str(options.articles), "--no-index", env=env)
        articles = options.articles
    what = "the previous run's site" if reuse else f"demo data + {articles} generated articles"
    print(f"site prepared in {time.perf_counter() - started:.0f} s ({what})", flush=True)

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    pages, article = pick_pages()
    connection.close()

    processes = []
    try:
        # (a) gunicorn alone on TCP, its own published tree.
        run_a = SCRATCH / "run-a"
        run_a.mkdir()
        env_a = dict(env, PUBLISHED_ROOT=str(SCRATCH / "published-a"), GUNICORN_RUN_DIR=str(run_a))
        processes.append(serve.start_gunicorn(env_a, bind=f"127.0.0.1:{PORTS['a']}"))
        # (b) as `make serve`, without the scheduler and the access log.
        processes += serve.start(env, run_b, PORTS["b"], scheduler=False, access_log=False)
        base_b = f"http://127.0.0.1:{PORTS['b']}"
        for path in pages.values():  # the first anonymous visit writes the file
            get(base_b + path, timeout=120)
            get(f"http://127.0.0.1:{PORTS['a']}{path}", timeout=120)
        for label, path in pages.items():
            status, headers, _ = get(base_b + path)
            assert status == 200 and "ETag" in headers, f"{label} {path} is not a published file"
        process_c, names = static_nginx(run_c, PORTS["c"], pages, env["PUBLISHED_ROOT"])
        processes.append(process_c)
        for label, path in pages.items():
            same = get(base_b + path)[2] == get(f"http://127.0.0.1:{PORTS['c']}{names[label]}")[2]
            assert same, f"{label}: (b) and (c) do not serve the same bytes"

        deadline = time.monotonic() + 600
        while os.getloadavg()[0] > options.max_load and time.monotonic() < deadline:
            time.sleep(10)
        load = os.getloadavg()[0]
        print(f"\nwrk -t2 -c{options.connections} --latency: (a) {options.seconds} s, (b) and (c) "
              f"2 × {options.seconds / 2:g} s alternating; load average before: {load:.2f}",
              flush=True)  # fmt: skip
        rows = []
        for label, path in pages.items():
            size = len(get(base_b + path)[2])
            url = {
                config: f"http://127.0.0.1:{PORTS[config]}{names[label] if config == 'c' else path}"
                for config in "abc"
            }
            cells = {"a": wrk(url["a"], options.seconds, options.connections)}
            # (b) and (c) in alternating halves (b c b c), so that whatever else the machine
            # does weighs on both alike: mean rate, the worse p99.
            halves = {"b": [], "c": []}
            for config in "bcbc":
                halves[config].append(wrk(url[config], options.seconds / 2, options.connections))
            for config, runs in halves.items():
                cells[config] = (
                    statistics.mean(run[0] for run in runs),
                    max(run[1] for run in runs),
                    sum(run[2] for run in runs),
                )
            rows.append((label, path, size, cells))

        print(f"\n{'page':<8} {'bytes':>7} | {'(a) app req/s':>13} {'p99 ms':>7} | "
              f"{'(b) prod req/s':>14} {'p99 ms':>7} | {'(c) static req/s':>16} {'p99 ms':>7} | "
              f"{'a/c':>6} {'b/c':>5}")  # fmt: skip
        for label, _path, size, cells in rows:
            (ra, pa, ea), (rb, pb, eb), (rc, pc, ec) = cells["a"], cells["b"], cells["c"]
            print(f"{label:<8} {size:>7} | {ra:>13,.0f} {pa:>7.1f} | {rb:>14,.0f} {pb:>7.2f} | "
                  f"{rc:>16,.0f} {pc:>7.2f} | {ra / rc:>6.4f} {rb / rc:>5.2f}")  # fmt: skip
            if ea or eb or ec:
                print(f"       non-2xx responses: a={ea} b={eb} c={ec}")
        for label, path, *_ in rows:
            print(f"  {label}: {path}")
        print("\nweight before images (bytes as sent by (b) / gzipped):")
        for label, path in pages.items():
            parts = page_weight(base_b, path)
            listed = " + ".join(f"{what} {size:,}" for what, size, _ in parts)
            total, zipped = sum(p[1] for p in parts), sum(p[2] for p in parts)
            print(f"  {label:<8} {total / 1024:5.1f} KB / {zipped / 1024:4.1f} KB  ({listed})")

        print("\npublish-to-visible (last approval → new title served by nginx):", flush=True)
        results = publish_to_visible(base_b, article.pk, pages, options.rounds)
        for approved, seen_article, seen_list in results:
            print(f"  approval returned {approved * 1000:.0f} ms; "
                  f"article page {ms(seen_article)}; column list {ms(seen_list)}")  # fmt: skip
        seen = [r[1] for r in results if r[1] is not None]
        if seen:
            print(f"  article page: median {statistics.median(seen) * 1000:.0f} ms, "
                  f"max {max(seen) * 1000:.0f} ms over {len(results)} publications")  # fmt: skip
    finally:
        serve.stop(processes)


if __name__ == "__main__":
    main()
