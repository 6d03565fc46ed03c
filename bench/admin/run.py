r"""The back office at the office's real size (SPEC §12; issue 13): every admin screen a role uses,
its query count and its latency, at 10,000 and at 100,000 articles.

    .venv/bin/python bench/admin/run.py --articles 10000            # builds, then measures
    .venv/bin/python bench/admin/run.py --articles 100000
    .venv/bin/python bench/admin/run.py --articles 100000 --reuse   # measures the same site again
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_admin \
        .venv/bin/python bench/admin/run.py --articles 100000

Builds a throw-away database per size (a SQLite file under var/bench/admin-<articles>/, or the
given DATABASE_URL, dropped and recreated): migrate, bootstrap_site, the demo data,
``generate_content --articles N``, the search index, then ``fill.py``: 10 audit entries a page
(1,000,000 at 100,000 pages), a letter for every 10 pages in every state (10,000), and the
review history of every 5th page over 3 years (screening, chief, director, publication).

Then, in this process and through Django's test Client (URL routing, every middleware, the view,
the template; DEBUG off), signs in as each demo role — officer, chief, director, 综合科's site
manager, 系统管理员, 审计管理员 — and requests every admin screen, after one warm-up request:
the number of SQL queries of one request, and p50/p95 over ``--requests`` requests. Screens a
role may not open are listed as such. Each run writes ``results.json`` beside its database;
when the other size has been measured too, a last table puts the two side by side so that any
growth with the rows shows. Not a test: figures go to bench/README.md with this command.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROLES = {
    "officer": "zonghe_xxy",
    "chief": "zonghe_kz",
    "director": "zhuren_li",
    "综合科": "wangzhan",
    "系统管理员": "xitong",
    "审计管理员": "shenji",
}


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def build(env, articles, seed):
    url = env["DATABASE_URL"]
    if url.startswith("postgres"):
        import psycopg

        name = urllib.parse.urlparse(url).path.lstrip("/")
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    steps = {}

    def timed(label, *args):
        started = time.perf_counter()
        manage(*args, env=env)
        steps[label] = round(time.perf_counter() - started, 1)
        print(f"  {label}: {steps[label]} s", flush=True)

    timed("migrate", "migrate", "--noinput")
    timed("bootstrap_site", "bootstrap_site")
    timed("load_demo_data", "load_demo_data")
    timed("generate_content", "generate_content", "--articles", str(articles), "--seed",
          str(seed), "--no-index")  # fmt: skip
    timed("update_index", "update_index")
    return steps


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def screens():
    """(name, url) of every admin screen measured; the URLs come from the built site."""
    from django.urls import reverse
    from django.utils import timezone
    from wagtail.models import WorkflowState

    from govsite.columns.models import ArticlePage, SubColumnPage
    from govsite.mailbox.models import Letter

    column = SubColumnPage.objects.get(title="工作动态")
    children = column.get_children().count()
    article = ArticlePage.objects.child_of(column).order_by("-pk").first()
    latest = WorkflowState.objects.order_by("-created_at").values_list("object_id", flat=True)
    recorded = ArticlePage.objects.filter(pk=int(latest[0])).first() if latest else None
    letter = Letter.objects.order_by("-received_at").first()
    today = timezone.localdate()
    month = f"start={today.replace(day=1):%Y-%m-%d}&end={today:%Y-%m-%d}"
    year = f"start={today.replace(month=1, day=1):%Y-%m-%d}&end={today:%Y-%m-%d}"
    explore = reverse("wagtailadmin_explore", args=[column.pk])
    return [
        ("dashboard", reverse("wagtailadmin_home")),
        (f"explorer 工作动态 ({children:,})", explore),
        ("explorer, late page", f"{explore}?p={max(1, children // 50 - 1)}"),
        ("page search 满意度", reverse("wagtailadmin_pages:search") + "?q=满意度"),
        ("article editor", reverse("wagtailadmin_pages:edit", args=[article.pk])),
        (
            "审核记录 of a page",
            reverse("govsite_workflow:page_record", args=[(recorded or article).pk]),
        ),
        ("审核记录, a month", reverse("govsite_workflow:office_record") + "?" + month),
        ("审核记录, a year", reverse("govsite_workflow:office_record") + "?" + year),
        ("审计日志", reverse("govsite_audit:index")),
        ("审计日志, category+year", reverse("govsite_audit:index") + "?category=login&" + year),
        ("审计日志, late page", reverse("govsite_audit:index") + "?p=1000"),
        ("来信办理", reverse("mailbox_letters")),
        ("来信办理, 已答复", reverse("mailbox_letters") + "?status=replied"),
        ("来信办理, search", reverse("mailbox_letters") + "?q=停车"),
        ("letter", reverse("mailbox_letter", args=[letter.pk])),
        ("整理上报", reverse("mailbox_report")),
        ("已发布信息复查", reverse("screening_rescreen:report")),
        ("变更申请", reverse("govsite_changes:index")),
        ("我的通知", reverse("govsite_notices:notices")),
        ("后台任务", reverse("govsite_jobs:index")),
        ("满意度调查", reverse("surveys:index")),
        ("账号", reverse("wagtailusers_users:index")),
    ]


def count_queries(client, url):
    """The SQL statements one request for ``url`` runs (with DEBUG off, as in production)."""
    from django.db import connection

    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get(url)
    return len(statements)


def measure(requests):
    from django.contrib.auth import get_user_model
    from django.test import Client

    urls = screens()
    results = {}
    for role, username in ROLES.items():
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        rows, refused = [], []
        for name, url in urls:
            response = client.get(url)  # warm-up, and may this role open it?
            if response.status_code != 200:
                refused.append(name)
                continue
            queries = count_queries(client, url)
            timings = []
            for _ in range(requests):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            rows.append(
                {
                    "screen": name,
                    "queries": queries,
                    "p50": round(statistics.median(timings), 1),
                    "p95": round(percentile(timings, 0.95), 1),
                }
            )
        results[role] = {"user": username, "rows": rows, "refused": refused}
        print(f"\n{role} ({username})")
        print(f"  {'screen':34} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
        for row in rows:
            print(f"  {row['screen']:34} {row['queries']:7} {row['p50']:8.1f} {row['p95']:8.1f}")
        if refused:
            print(f"  not for this role: {', '.join(refused)}")
    return results


def compare(results_by_size):
    """Queries and p95 of every (role, screen) at each size, side by side."""
    sizes = sorted(results_by_size)
    print("\nqueries (p95 ms) by size: " + " | ".join(f"{size:,} articles" for size in sizes))
    grown = []
    for role in ROLES:
        print(f"  {role}")
        tables = [
            {row["screen"].split(" (")[0]: row for row in results_by_size[size][role]["rows"]}
            for size in sizes
        ]
        for screen in tables[-1]:
            cells = [table.get(screen) for table in tables]
            text = " | ".join(
                f"{cell['queries']:5} ({cell['p95']:7.1f})" if cell else "    —" for cell in cells
            )
            counts = {cell["queries"] for cell in cells if cell}
            if len(counts) > 1:
                grown.append(f"{role}: {screen}")
            print(f"    {screen:32} {text}")
    print("query counts that differ between sizes: " + (", ".join(grown) or "none"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="measure the previous build again")
    options = parser.parse_args()

    scratch = ROOT / "var" / "bench" / f"admin-{options.articles}"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="govsite.settings.dev")
    env.setdefault("DATABASE_URL", f"sqlite:///{scratch}/sqlite/bench.sqlite3")
    vendor = "postgres" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    files = scratch / vendor  # each database keeps its own media beside its results
    files.mkdir(parents=True, exist_ok=True)
    env.update(MEDIA_ROOT=f"{files}/media", PRIVATE_MEDIA_ROOT=f"{files}/private")
    if not options.reuse:
        if vendor == "sqlite":  # PostgreSQL's database is dropped and created by build()
            database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
            for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
                path.unlink(missing_ok=True)
        print(f"building {options.articles:,} articles ({vendor})", flush=True)
        steps = build(env, options.articles, options.seed)
    else:
        manage("migrate", "--noinput", env=env)  # the code measured may have added indexes
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    sys.path.insert(0, str(Path(__file__).parent))
    from fill import fill

    if not options.reuse:
        started = time.perf_counter()
        fill(options.articles, seed=options.seed,
             progress=lambda text: print(f"  {text}", end="\r", flush=True))  # fmt: skip
        steps["fill"] = round(time.perf_counter() - started, 1)
        if vendor == "postgres":
            # What autovacuum does after bulk loads in production, before the planner trusts
            # its statistics; without it a fresh database plans as if the tables were empty.
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"\n  fill: {steps['fill']} s")
        (files / "build.json").write_text(json.dumps(steps))

    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # a role's refusals, expected
    settings.DEBUG = False  # no query log except where counted: measure what production does
    settings.ALLOWED_HOSTS = ["testserver"]
    from wagtail.models import Page, TaskState

    from govsite.audit.models import AuditEntry
    from govsite.mailbox.models import Letter

    print(
        f"database: {vendor}; pages {Page.objects.count():,}; audit entries "
        f"{AuditEntry.objects.count():,}; letters {Letter.objects.count():,}; "
        f"task states {TaskState.objects.count():,}; {options.requests} requests a screen"
    )
    results = measure(options.requests)
    (files / "results.json").write_text(json.dumps(results, ensure_ascii=False))
    by_size = {}
    for path in (ROOT / "var" / "bench").glob(f"admin-*/{vendor}/results.json"):
        by_size[int(path.parent.parent.name.split("-")[1])] = json.loads(path.read_text())
    if len(by_size) > 1:
        compare(by_size)


if __name__ == "__main__":
    main()
