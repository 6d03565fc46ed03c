r"""Uncached public renders at the office's size (issue 13, item 3).

    .venv/bin/python bench/serving/render.py --articles 10000          # builds the site
    .venv/bin/python bench/serving/render.py --articles 10000 --reuse  # measures it again

Builds a throw-away SQLite site under var/bench/render-<N> (migrate, bootstrap_site, the demo
data and ``generate_content --articles N --no-index``), then renders, in this process, through
Django's test Client (every middleware, the view, the templates; ``DEBUG`` off, an anonymous
visitor) the homepage, a column list (工作动态, ``/gzjz/gzdt/``, 20 items a page) and its newest
article, and prints each one's render time (p50/p95 of ``--requests`` requests after
warming up) and its SQL queries:

  cold  the first render after a publication: the published tree is purged before every
        request (``store.purge()``), which gives the render cache a new version, as a
        publication does; what a visitor waits for when nginx has no file;
  warm  a render with the render cache filled (the navigation, sidebars and site settings of
        this version), as for every further page rendered before the next publication.

No render reads a published file (nginx does that, in front of the application); the
publishing middleware stores each response in a published tree of the run's own, which the
purges empty. Not a test: figures go to bench/README.md with the command.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIST_SLUG_PATH = ("gzjz", "gzdt")


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def build(scratch, articles, env):
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    started = time.perf_counter()
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("bootstrap_site", env=env)
    manage("load_demo_data", env=env)
    manage("generate_content", "--articles", str(articles), "--no-index", env=env)
    print(f"site built in {time.perf_counter() - started:.0f} s", flush=True)


def pick_pages():
    from wagtail.models import Page

    from govsite.columns.models import ArticlePage, SubColumnPage
    from govsite.publishing.rules import public_path

    column = SubColumnPage.objects.get(url_path__endswith="/{}/{}/".format(*LIST_SLUG_PATH))
    article = (
        ArticlePage.objects.live().child_of(column).order_by("-first_published_at", "-pk").first()
    )
    counts = {
        "live pages": Page.objects.live().count(),
        "articles in the list's column": ArticlePage.objects.live().child_of(column).count(),
    }
    paths = {
        "home": "/",
        "list": public_path(column.url_path),
        "article": public_path(article.url_path),
    }
    return paths, counts


def measure(client, path, requests, cold):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from govsite.publishing import store

    times, queries = [], set()
    for number in range(requests + 3):
        if cold:
            store.purge(everything=True)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, f"{path}: HTTP {response.status_code}"
        if number >= 3:  # the first three warm up this process
            times.append(elapsed * 1000)
            queries.add(len(captured))
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, sorted(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=40, help="per page and mode")
    parser.add_argument("--reuse", action="store_true", help="measure the site built before")
    parser.add_argument(
        "--max-load", type=float, default=1.5, help="wait (up to 10 min) for a quieter machine"
    )
    options = parser.parse_args()

    scratch = ROOT / "var" / "bench" / f"render-{options.articles}"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="govsite.settings.dev",
        DATABASE_URL=f"sqlite:///{scratch / 'db.sqlite3'}",
        MEDIA_ROOT=str(scratch / "media"),
        PRIVATE_MEDIA_ROOT=str(scratch / "private"),
        PUBLISHED_ROOT=str(scratch / "published"),
        LOG_LEVEL="WARNING",
    )
    if not (options.reuse and (scratch / "db.sqlite3").exists()):
        build(scratch, options.articles, env)

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    paths, counts = pick_pages()
    client = Client()

    deadline = time.monotonic() + 600
    while os.getloadavg()[0] > options.max_load and time.monotonic() < deadline:
        time.sleep(10)
    print(
        f"database: sqlite; {', '.join(f'{name}: {n:,}' for name, n in counts.items())}; "
        f"load average before: {os.getloadavg()[0]:.2f}"
    )
    print(f"{options.requests} renders a page and mode (test Client, in process, DEBUG off)")
    print(f"{'page':<8} {'mode':<5} {'p50 ms':>7} {'p95 ms':>7}  queries  path")
    for label, path in paths.items():
        for mode in ("cold", "warm"):
            p50, p95, queries = measure(client, path, options.requests, cold=mode == "cold")
            shown = "/".join(map(str, queries))
            print(f"{label:<8} {mode:<5} {p50:>7.1f} {p95:>7.1f}  {shown:>7}  {path}")


if __name__ == "__main__":
    main()
