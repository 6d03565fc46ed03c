r"""Chinese full-text search over generated articles (SPEC §11; issue 7): indexing throughput and
the latency of the public search request end to end.

    .venv/bin/python bench/search/run.py [--articles 100000] [--seed 1] [--requests 1000]
    .venv/bin/python bench/search/run.py --reuse [--reindex] [--requests 1000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search \
        .venv/bin/python bench/search/run.py --articles 20000

Builds a throw-away database (a SQLite file under var/bench-search/, or the given DATABASE_URL,
which is dropped and recreated), generates ``--articles`` live articles with
``manage.py generate_content --no-index``, then times ``manage.py update_index`` (Wagtail's
rebuild through the segmenting backend: articles/s). Then, in this process, sends ``--requests``
GET requests for /search/ through Django's test Client — URL routing, middleware, the view, the
template — cycling through a mix of realistic queries (topics, offices, combinations, a column
filter, a date range, later pages, a query that finds nothing), after one warm-up round. Prints
p50/p95/max per kind of query and over all. Not a test: figures go to bench/README.md with this
command. ``--reuse`` measures the search again on the database of the previous run; with
``--reindex`` it first restores the starting dictionary and times ``update_index`` again.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# (kind, query string): what visitors of a district government site type, with filters.
QUERIES = [
    ("topic", "q=满意度调查"),
    ("topic", "q=营商环境"),
    ("topic", "q=安全生产大检查"),
    ("topic", "q=防汛抗旱"),
    ("topic", "q=森林防火"),
    ("topic", "q=垃圾分类"),
    ("topic", "q=老旧小区改造"),
    ("topic", "q=放管服"),
    ("topic", "q=一网通办"),
    ("topic", "q=12345热线"),
    ("topic", "q=义务教育招生"),
    ("topic", "q=医疗保险参保"),
    ("topic", "q=就业创业补贴"),
    ("topic", "q=河湖长制"),
    ("topic", "q=人口普查"),
    ("office", "q=区财政局"),
    ("office", "q=区应急管理局"),
    ("office", "q=临港镇人民政府"),
    ("combined", "q=区教育局 招生入学"),
    ("combined", "q=区长 调研 乡村振兴"),
    ("combined", "q=常务会议 重点项目"),
    ("combined", "q=信息公开 年度报告 2025"),
    ("broad", "q=区政府办公室"),
    ("broad", "q=满意度"),
    ("filtered", "q=文明城市&column={column}"),
    ("filtered", "q=消防安全&start=2025-01-01&end=2025-12-31"),
    ("paged", "q=食品安全&page=5"),
    ("none", "q=火星探测基地"),
]


def manage(*args, env, quiet=True):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL if quiet else None)  # fmt: skip


def prepare(env, articles, seed):
    url = env["DATABASE_URL"]
    if url.startswith("postgres"):
        import psycopg

        name = urllib.parse.urlparse(url).path.lstrip("/")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", env=env)
    manage("bootstrap_site", env=env)
    started = time.perf_counter()
    manage("generate_content", "--articles", str(articles), "--seed", str(seed), "--no-index",
           env=env)  # fmt: skip
    generated = time.perf_counter() - started
    started = time.perf_counter()
    manage("update_index", env=env)
    indexed = time.perf_counter() - started
    return generated, indexed


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of the previous run (no rebuild)"
    )
    parser.add_argument(
        "--reindex",
        action="store_true",
        help="with --reuse: restore the starting dictionary, time update_index again",
    )
    options = parser.parse_args()

    scratch = ROOT / "var" / "bench-search"
    scratch.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="govsite.settings.dev")
    env.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    env.update(MEDIA_ROOT=f"{scratch}/media", PRIVATE_MEDIA_ROOT=f"{scratch}/private")
    if not options.reuse:
        database = scratch / "bench.sqlite3"
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            path.unlink(missing_ok=True)
        generated, indexed = prepare(env, options.articles, options.seed)
        (scratch / "build.json").write_text(
            json.dumps({"articles": options.articles, "generated": generated, "indexed": indexed})
        )
    elif options.reindex:
        manage("bootstrap_site", env=env)
        build = json.loads((scratch / "build.json").read_text())
        started = time.perf_counter()
        manage("update_index", env=env)
        build["indexed"] = time.perf_counter() - started
        (scratch / "build.json").write_text(json.dumps(build))
    build = json.loads((scratch / "build.json").read_text())

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from govsite.columns.models import ArticlePage, ColumnPage

    settings.DEBUG = False  # no query log: measure what production does
    settings.ALLOWED_HOSTS = ["testserver"]
    articles = ArticlePage.objects.live().count()
    column = ColumnPage.objects.get(title="工作进展").pk
    urls = [(kind, "/search/?" + query.format(column=column)) for kind, query in QUERIES]
    client = Client()
    totals = {}
    for _kind, url in urls:  # warm-up: caches, the segmenter, SQLite's page cache
        response = client.get(url)
        assert response.status_code == 200, url
        found = re.search(r"找到(超过)? (\d+) 条", response.text)
        totals[url] = f"{'>' if found.group(1) else ''}{found.group(2)}"
    timings = {}
    for number in range(options.requests):
        kind, url = urls[number % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        timings.setdefault(kind, []).append(time.perf_counter() - started)
        assert response.status_code == 200

    database = env["DATABASE_URL"].split(":", 1)[0]
    print(f"database: {database}; live articles: {articles:,}")
    generated, indexed, built = build["generated"], build["indexed"], build["articles"]
    print(f"generate_content --articles {built} --no-index: {generated:.0f} s")
    print(
        f"update_index: {indexed:.1f} s, {built / indexed:.0f} articles/s "
        "(whole rebuild: segmentation and index writes)"
    )
    print(f"{options.requests} search requests over {len(urls)} queries (test Client, end to end):")
    for kind in dict.fromkeys(kind for kind, _ in urls):
        values = timings[kind]
        hits = [totals[url] for k, url in urls if k == kind]
        print(
            f"  {kind:9} n={len(values):4}  p50 {statistics.median(values) * 1000:6.1f} ms  "
            f"p95 {percentile(values, 0.95) * 1000:6.1f} ms  "
            f"results {', '.join(hits)}"
        )
    values = [value for kind_values in timings.values() for value in kind_values]
    print(
        f"  all       n={len(values):4}  p50 {statistics.median(values) * 1000:6.1f} ms  "
        f"p95 {percentile(values, 0.95) * 1000:6.1f} ms  max {max(values) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
