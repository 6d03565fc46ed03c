r"""A year of 双百考核 at the office's real size (issue 15, R-ASSESS-2): the office-wide yearly
scores and the leaders' view for 20 sections over N pages, 10,000 letters and 3,000
submissions — their SQL queries (which must not grow with the rows) and their render time.

    .venv/bin/python bench/assessment.py --pages 10000             # builds, then measures
    .venv/bin/python bench/assessment.py --pages 100000
    .venv/bin/python bench/assessment.py --pages 100000 --grow-from 10000  # adds 90,000 pages
    .venv/bin/python bench/assessment.py --pages 100000 --reuse    # measures the same site again

Builds a throw-away SQLite database per size under var/bench/assessment-<pages>/ (or the
given DATABASE_URL, dropped and created): migrate, bootstrap_site, the demo data,
``generate_content --articles N --no-index``; then, with bulk inserts: 15 more sections (20 in
all) owning the dynamic sub-columns in turn, 10,000 letters over three years in every state
(``bench/admin/fill.py``), 3,000 items sent over this year with a third adopted by one to three
outlets and 100 leaders' instructions, and 300 versions returned by the automatic screening
this year (one in five for a serious error). No month is closed: every month is computed from
the rows, the worst case.

Then, in this process through Django's test Client (every middleware, the view, the template;
DEBUG off), signs in as 综合科's officer and requests 考核得分 for the year, for last month and
领导看板: the queries of one request, p50/p95 over ``--requests`` requests after one warm-up,
and the p50 of this process's CPU time (what the elapsed time would be on an idle machine,
SQLite running in this process); then, the same way, the computations under them: one
``freshness.snapshot()`` (栏目更新 now) and ``scoring.year_scores()`` (the year, every
month-end's freshness included). Not a test: figures go to bench/README.md with this command.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
USER = "zonghe_xxy"
SECTIONS = 20
LETTERS = 10_000
ITEMS = 3_000
RETURNS = 300


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def build(env, pages, seed):
    url = env["DATABASE_URL"]
    if url.startswith("postgres"):
        import psycopg

        name = urllib.parse.urlparse(url).path.lstrip("/")
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    for label, *args in [
        ("migrate", "migrate", "--noinput"),
        ("bootstrap_site", "bootstrap_site"),
        ("load_demo_data", "load_demo_data"),
        ("generate_content", "generate_content", "--articles", str(pages), "--seed", str(seed),
         "--no-index"),
    ]:  # fmt: skip
        started = time.perf_counter()
        manage(*args, env=env)
        print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)


def fill(seed):
    """The sections, letters, items, adoptions and returns of a year, in bulk."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page, Revision, TaskState, Workflow, WorkflowState

    from govsite.columns.models import ArticlePage, SubColumnPage
    from govsite.reporting.models import (
        InstructionLevel,
        Item,
        ItemKind,
        LeaderInstruction,
        Outlet,
        OutletAdoption,
    )
    from govsite.screening.engine import SERIOUS_ERROR
    from govsite.sections.models import Section
    from govsite.workflow.models import ScreeningTask, ScreeningTaskState

    sys.path.insert(0, str(ROOT / "bench" / "admin"))
    from fill import letters

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate(now)
    for number in range(Section.objects.count(), SECTIONS):
        Section.objects.create(name=f"第{number + 1}科", code=f"bench{number + 1}")
    sections = list(Section.objects.order_by("pk"))
    # Every section owns some of the plain dynamic columns (not 沟通信箱 or another page type
    # built on a sub-column: 综合科 keeps those).
    plain = ContentType.objects.get_for_model(SubColumnPage)
    columns = list(
        SubColumnPage.objects.filter(content_kind="dynamic", content_type=plain).order_by("path")
    )
    for n, column in enumerate(columns):
        SubColumnPage.objects.filter(pk=column.pk).update(owner_section=sections[n % SECTIONS])
    letters(LETTERS, rng, now, lambda text: print(f"  {text}", end="\r", flush=True))
    print()

    kind, _ = ItemKind.objects.get_or_create(name="重点工作")
    outlets = [
        Outlet.objects.get_or_create(name=name, defaults={"points": Decimal(points)})[0]
        for name, points in [("本站工作动态", "1"), ("区信息刊物", "4"), ("市级刊物", "15")]
    ]
    level = InstructionLevel.objects.get_or_create(name="区领导", defaults={"points": 5})[0]
    year_start = date(today.year, 1, 1)
    span = (today - year_start).days or 1

    def moment():
        day = year_start + timedelta(days=rng.randrange(span))
        start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
        return start + timedelta(hours=rng.randrange(8, 18))

    with transaction.atomic():
        items = Item.objects.bulk_create(
            Item(
                section=rng.choice(sections),
                kind=kind,
                title=f"动态信息 {n}",
                status=Item.Status.ADOPTED if n % 3 == 0 else Item.Status.AWAITING_OFFICE,
                sent_at=moment(),
            )
            for n in range(ITEMS)
        )
        adoptions, instructions = [], []
        for n, item in enumerate(items):
            if n % 3:
                continue
            for outlet in rng.sample(outlets, rng.randint(1, 3)):
                day = min(timezone.localdate(item.sent_at) + timedelta(days=3), today)
                adoptions.append(OutletAdoption(item=item, outlet=outlet, adopted_on=day))
            if n % 30 == 0:
                instructions.append(
                    LeaderInstruction(
                        item=item,
                        level=level,
                        leader="区长",
                        instructed_on=timezone.localdate(item.sent_at),
                    )
                )
        OutletAdoption.objects.bulk_create(adoptions)
        LeaderInstruction.objects.bulk_create(instructions)

    workflow = Workflow.objects.filter(active=True, workflow_pages__isnull=False).get()
    screening = ScreeningTask.objects.get(workflow_tasks__workflow=workflow)
    article_type = ContentType.objects.get_for_model(ArticlePage)
    page_type = ContentType.objects.get_for_model(Page)
    articles = list(ArticlePage.objects.order_by("?").values_list("pk", "title")[:RETURNS])
    with transaction.atomic():
        for n, (pk, title) in enumerate(articles):
            at = moment()
            revision = Revision.objects.create(
                content_type=article_type,
                base_content_type=page_type,
                object_id=str(pk),
                object_str=title,
                content={"pk": pk, "title": title},
            )
            state = WorkflowState.objects.create(
                content_type=article_type,
                base_content_type=page_type,
                object_id=str(pk),
                workflow=workflow,
                status=WorkflowState.STATUS_CANCELLED,
            )
            category = SERIOUS_ERROR if n % 5 == 0 else "禁止内容（第十九条第7项）"
            ScreeningTaskState.objects.create(
                workflow_state=state,
                revision=revision,
                task=screening,
                status=TaskState.STATUS_REJECTED,
                finished_at=at,
                findings=[{"category": category, "rule": "", "field": "正文"}],
            )
    print(
        f"  sections {len(sections)}, letters {LETTERS:,}, items {ITEMS:,}, adoptions "
        f"{len(adoptions):,}, instructions {len(instructions)}, screening returns {len(articles)}"
    )


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def count_queries(call):
    from django.db import connection

    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        call()
    return len(statements)


def timed(name, call, requests):
    """One warm-up, the queries of one call, then p50/p95 over ``requests`` calls, and the
    p50 of the CPU time this process spent (SQLite runs in it): on a shared machine the
    elapsed time counts the other processes' turns too, the CPU time does not."""
    call()
    queries = count_queries(call)
    timings, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    line = f"  {name:24} {queries:7} {p50:8.1f} {p95:8.1f} {statistics.median(cpu):10.1f}"
    print(line, flush=True)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def measure(requests):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from govsite.assessment import freshness, scoring

    today = timezone.localdate()
    last = scoring.previous_month(today)
    screens = [
        ("考核得分, the year", f"/admin/assessment/scores/?period=year&year={today.year}"),
        (
            "考核得分, last month",
            f"/admin/assessment/scores/?period=month&year={last.year}&month={last.month}",
        ),
        ("领导看板", "/admin/assessment/leaders/"),
    ]
    client = Client()
    client.force_login(get_user_model().objects.get(username=USER))
    print(f"  {'screen':24} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50 ms':>10}")
    for name, url in screens:
        timed(name, lambda url=url: get(client, url), requests)
    # the computations under the screens, without the request and the template
    timed("freshness.snapshot()", freshness.snapshot, requests)
    timed("scoring.year_scores()", lambda: scoring.year_scores(today.year), requests)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="measure the previous build again")
    parser.add_argument(
        "--grow-from",
        type=int,
        metavar="PAGES",
        help="SQLite: copy the build of PAGES pages and add the missing pages to it (its "
        "sections, letters, items and returns stay the same)",
    )
    options = parser.parse_args()

    scratch = ROOT / "var" / "bench" / f"assessment-{options.pages}"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="govsite.settings.dev")
    env.setdefault("DATABASE_URL", f"sqlite:///{scratch}/sqlite/bench.sqlite3")
    vendor = "postgres" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    files = scratch / vendor
    files.mkdir(parents=True, exist_ok=True)
    env.update(MEDIA_ROOT=f"{files}/media", PRIVATE_MEDIA_ROOT=f"{files}/private")
    if options.grow_from:
        import shutil

        source = ROOT / "var" / "bench" / f"assessment-{options.grow_from}" / "sqlite"
        database = files / "bench.sqlite3"
        shutil.copyfile(source / "bench.sqlite3", database)
        extra = options.pages - options.grow_from
        print(f"growing the {options.grow_from:,}-page build by {extra:,} pages", flush=True)
        started = time.perf_counter()
        manage("generate_content", "--articles", str(extra), "--seed", str(options.seed + 1),
               "--no-index", env=env)  # fmt: skip
        print(f"  generate_content: {time.perf_counter() - started:.1f} s", flush=True)
        options.reuse = True
    elif not options.reuse:
        if vendor == "sqlite":
            database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
            for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
                path.unlink(missing_ok=True)
        print(f"building {options.pages:,} pages ({vendor})", flush=True)
        build(env, options.pages, options.seed)
    else:
        manage("migrate", "--noinput", env=env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    if not options.reuse:
        started = time.perf_counter()
        fill(options.seed)
        print(f"  fill: {time.perf_counter() - started:.1f} s")
        if vendor == "postgres":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    from wagtail.models import Page

    from govsite.mailbox.models import Letter
    from govsite.reporting.models import Item
    from govsite.sections.models import Section

    print(
        f"database: {vendor}; pages {Page.objects.count():,}; sections "
        f"{Section.objects.count()}; letters {Letter.objects.count():,}; items "
        f"{Item.objects.count():,}; {options.requests} requests a screen"
    )
    measure(options.requests)


if __name__ == "__main__":
    main()
