r"""政务公开目录 and the policy library over 100,000 documents (issue 16 item 6, R-OPEN-2: the
library's filtered list answers p95 ≤ 100 ms on SQLite).

    .venv/bin/python bench/disclosure.py                       # builds 100,000, then measures
    .venv/bin/python bench/disclosure.py --documents 10000
    .venv/bin/python bench/disclosure.py --reuse               # measures the same build again
    .venv/bin/python bench/disclosure.py --reuse --explain     # and prints the query plans

Builds a throw-away SQLite database under var/bench/disclosure-<documents>/: migrate,
bootstrap_site, then the documents written directly (``Model.save`` of the three rows a
document has, each sub-column's tree paths computed once, no per-page search or reference
indexing; each save fills the document's row of the listing index, as in the
application), spread over the 公文栏目 (most in 政策文件's three), with realistic metadata: a
second-level 主题分类, a 体裁, one of six 发布机构, a 发文字号, a publication time over ten years,
one in ten no longer in force, one in twenty a 解读 of the policy before it. Only the titles of
the library's documents are added to the search index (in bulk), so the search box is measured
over a full-size index of the library.

Then, in this process through Django's test Client (every middleware, the view, the template;
DEBUG off), as an anonymous visitor: the library unfiltered, with several filter combinations,
a late page, the search by a word and by a 发文字号; the catalogue unfiltered, by category, by
主题分类 and year, a late page. For each: the queries of one request and p50/p95 over
``--requests`` requests after one warm-up. Nothing is stored as a file (a query string other than
``page=N`` is never stored, and the published root is a scratch directory emptied first).
Not a test: figures go to bench/README.md with this command.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PUBLISHERS = [
    "临江区人民政府",
    "临江区人民政府办公室",
    "临江区发展和改革局",
    "临江区财政局",
    "临江区应急管理局",
    "临江区市场监督管理局",
]
WORDS = [
    "营商环境",
    "安全生产",
    "数字政府",
    "乡村振兴",
    "城市更新",
    "政务公开",
    "养老服务",
    "就业创业",
]
GENRES = ["通知", "意见", "决定", "通告", "批复", "函"]


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def build(documents, seed):
    """``documents`` live documents, in batches of 2,000 (one transaction each)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import models, transaction
    from django.db.models import F
    from django.utils import timezone
    from wagtail.models import Page

    from govsite.disclosure.models import DocumentColumnPage, DocumentPage, Genre, TopicCategory

    rng = random.Random(seed)
    content_type = ContentType.objects.get_for_model(DocumentPage)
    columns = list(DocumentColumnPage.objects.order_by("path"))
    library = [c for c in columns if c.slug in ("zcfg", "zfwj", "zfbwj")]
    readings = next(c for c in columns if c.slug == "zcjd")
    others = [c for c in columns if c not in library and c is not readings]
    topics = list(TopicCategory.objects.second_level())
    genres = [Genre.objects.get(name=name) for name in GENRES]
    reading_genre = Genre.objects.get(name="解读")
    now = timezone.now()
    numbers = {column.pk: column.get_children().count() for column in columns}
    last_policy = None
    made = 0
    while made < documents:
        with transaction.atomic():
            added = {}
            for _ in range(min(2000, documents - made)):
                made += 1
                roll = rng.random()
                if roll < 0.05 and last_policy is not None:
                    column = readings
                elif roll < 0.85:
                    column = rng.choice(library)
                else:
                    column = rng.choice(others)
                numbers[column.pk] += 1
                position = numbers[column.pk]
                published = now - timedelta(minutes=rng.randrange(10 * 365 * 24 * 60))
                year = timezone.localtime(published).year
                word = rng.choice(WORDS)
                slug = f"d{position}"
                reading = column is readings
                validity = "valid" if rng.random() > 0.1 else rng.choice(["expired", "repealed"])
                page = DocumentPage(
                    title=f"关于{word}工作的{'解读' if reading else '通知'}（第{made}号）",
                    draft_title="",
                    slug=slug,
                    path=DocumentPage._get_path(column.path, column.depth + 1, position),
                    depth=column.depth + 1,
                    numchild=0,
                    url_path=f"{column.url_path}{slug}/",
                    content_type=content_type,
                    locale_id=column.locale_id,
                    source_section_id=column.owner_section_id,
                    live=True,
                    first_published_at=published,
                    last_published_at=published,
                    index_number=f"11330100MB0000000X/{year}-{made:06d}",
                    publisher=rng.choice(PUBLISHERS),
                    document_number="" if reading else f"临政发〔{year}〕{made}号",
                    written_on=timezone.localtime(published).date() - timedelta(days=2),
                    topic=rng.choice(topics),
                    genre=reading_genre if reading else rng.choice(genres),
                    keywords=word,
                    catalogue_category=column.catalogue_category,
                    validity=validity,
                    validity_changed_on=None if validity == "valid" else date(2026, 1, 1),
                    interprets_id=last_policy if reading else None,
                )
                models.Model.save(page)
                if column in library:
                    last_policy = page.pk
                added[column.pk] = added.get(column.pk, 0) + 1
            for pk, count in added.items():
                Page.objects.filter(pk=pk).update(numchild=F("numchild") + count)
        print(f"  {made:,} documents", end="\r", flush=True)
    print()


def index_library():
    """The search index of the library's documents (titles, numbers, keywords), in bulk."""
    from wagtail.search.backends import get_search_backends

    from govsite.columns.models import subtree_range
    from govsite.disclosure.models import DocumentPage
    from govsite.disclosure.pages import PolicyLibraryPage

    library = PolicyLibraryPage.objects.get()
    pages = DocumentPage.objects.filter(path__range=subtree_range(library)).order_by("pk")
    for backend in get_search_backends():
        ids = list(pages.values_list("pk", flat=True))
        for start in range(0, len(ids), 2000):
            backend.add_bulk(
                DocumentPage, list(DocumentPage.objects.filter(pk__in=ids[start : start + 2000]))
            )
            print(
                f"  indexed {min(start + 2000, len(ids)):,} of {len(ids):,}", end="\r", flush=True
            )
    print()


def urls():
    from govsite.disclosure.models import DocumentColumnPage, DocumentPage, Genre, TopicCategory
    from govsite.disclosure.pages import CataloguePage, PolicyLibraryPage

    library = PolicyLibraryPage.objects.get().url
    catalogue = CataloguePage.objects.get().url
    zfwj = DocumentColumnPage.objects.get(slug="zfwj").pk
    top = TopicCategory.objects.top().get(name="综合政务").pk
    notice = Genre.objects.get(name="通知").pk
    number = (
        DocumentPage.objects.exclude(document_number="")
        .order_by("pk")[DocumentPage.objects.count() // 2]
        .document_number
    )
    this_year = date.today().year
    return [
        ("library", library),
        ("library ?validity=valid", f"{library}?validity=valid"),
        ("library ?column=zfwj&year", f"{library}?column={zfwj}&year={this_year - 3}"),
        ("library ?publisher&validity=repealed",
         f"{library}?publisher=临江区财政局&validity=repealed"),
        ("library ?column&publisher&year&validity",
         f"{library}?column={zfwj}&publisher=临江区人民政府&year={this_year - 1}&validity=valid"),
        ("library ?page=2000 (late page)", f"{library}?page=2000"),
        ("library ?validity=valid&page=1500", f"{library}?validity=valid&page=1500"),
        ("library ?q=营商环境", f"{library}?q=营商环境"),
        ("library ?q=<发文字号>", f"{library}?q={number}"),
        ("catalogue", catalogue),
        ("catalogue ?category=laws", f"{catalogue}?category=laws"),
        ("catalogue ?topic&year", f"{catalogue}?topic={top}&year={this_year - 2}"),
        ("catalogue ?genre&publisher", f"{catalogue}?genre={notice}&publisher=临江区财政局"),
        ("catalogue ?page=3000 (late page)", f"{catalogue}?page=3000"),
    ]  # fmt: skip


def timed(client, url, requests, before=None):
    """p50, p95 in ms of ``requests`` requests of ``url`` (``before()`` run before each,
    outside the time)."""
    times = []
    for _ in range(requests):
        if before is not None:
            before()
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def after_publication(client, url):
    """What a publication leaves: the render cache's version moved, and the view's unfiltered
    address requested again to rewrite its static file."""
    from govsite.columns import render_cache

    render_cache.changed()
    unfiltered = url.split("?")[0]
    if url != unfiltered:
        client.get(unfiltered)


def measure(requests):
    """Warm: after one request that filled the render cache. Published: as after a publication
    — the render cache's version moved (what every purge does), the view's unfiltered address
    requested once more (the static file a purge has rewritten), then the timed request.
    Cold: the whole cache emptied before each request (a cache server restarted: the counts,
    the number listed, the navigation all read again)."""
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    # The number of queries is guarded by govsite/disclosure/tests/test_query_counts.py.
    print(
        f"{'view':44} {'warm p50':>9} {'p95':>7} {'published p50':>14} {'p95':>7}"
        f" {'cold p50':>9} {'p95':>7}"
    )
    for label, url in urls():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        warm = timed(client, url, requests)
        published = timed(client, url, requests, before=partial(after_publication, client, url))
        cold = timed(client, url, requests, before=cache.clear)
        print(
            f"{label:44} {warm[0]:9.1f} {warm[1]:7.1f} {published[0]:14.1f} {published[1]:7.1f}"
            f" {cold[0]:9.1f} {cold[1]:7.1f}",
            flush=True,
        )


def explain():
    """The plan of every query of one request of each view (SQLite's EXPLAIN QUERY PLAN)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for label, url in urls():
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        print(f"== {label}")
        with connection.cursor() as cursor:
            for query in context.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT") or (
                    "disclosure_documentpage" not in sql and "disclosure_listeddocument" not in sql
                ):
                    continue
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = "; ".join(row[-1] for row in cursor.fetchall())
                print(f"  {sql[:90]}…\n    {plan}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="measure the previous build again")
    parser.add_argument("--explain", action="store_true", help="print the query plans too")
    options = parser.parse_args()

    scratch = ROOT / "var" / "bench" / f"disclosure-{options.documents}"
    scratch.mkdir(parents=True, exist_ok=True)
    database = scratch / "bench.sqlite3"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="govsite.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=f"{scratch}/media",
        PRIVATE_MEDIA_ROOT=f"{scratch}/private",
        PUBLISHED_ROOT=f"{scratch}/published",
    )
    if not options.reuse:
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            path.unlink(missing_ok=True)
        print(f"building {options.documents:,} documents (sqlite)", flush=True)
        for label, *args in [
            ("migrate", "migrate", "--noinput"),
            ("bootstrap_site", "bootstrap_site"),
        ]:
            started = time.perf_counter()
            manage(*args, env=env)
            print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    else:
        manage("migrate", "--noinput", env=env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings
    from wagtail.signal_handlers import disable_reference_index_auto_update

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*", "testserver"]
    if not options.reuse:
        quiet = {
            name: {**conf, "AUTO_UPDATE": False}
            for name, conf in settings.WAGTAILSEARCH_BACKENDS.items()
        }
        with override_settings(WAGTAILSEARCH_BACKENDS=quiet), disable_reference_index_auto_update():
            started = time.perf_counter()
            build(options.documents, options.seed)
            print(f"  documents: {time.perf_counter() - started:.1f} s", flush=True)
            started = time.perf_counter()
            index_library()
            print(f"  search index: {time.perf_counter() - started:.1f} s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from govsite.publishing import store

    store.purge(everything=True)
    if options.explain:
        explain()
    measure(options.requests)


if __name__ == "__main__":
    main()
