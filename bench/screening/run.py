"""Screening throughput (issue: screening engine; R-SCREEN-1): the engine against the bare
Aho-Corasick library it is built on, with a 10,000-term lexicon.

    .venv/bin/python bench/screening/run.py [--megabytes 12] [--terms 10000] [--repeat 3]

Prints, for one long text and for the same text cut into 2 KB letters, the library's and the
engine's throughput in MB/s (UTF-8) and their ratio; then the latency of screening one 5 KB
article end to end (``screen_page``: lexicon check against the database, every field, the
quality warnings) in ms. Not a test: figures go to bench/README.md with this command.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# Common characters of government prose, so terms occur about as often as in real text.
COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理"
    "政府办公室科室信息网站审核发布通知会议领导工作服务群众安全监督检查落实推进开展组织部署研究制度责任"
)
PUNCTUATION = "，。、；：“”（）"


def sentence(rng):
    words = "".join(rng.choice(COMMON) for _ in range(rng.randint(12, 40)))
    return words + rng.choice(PUNCTUATION[:4])


def make_text(rng, megabytes):
    parts, size = [], 0
    while size < megabytes * 1_000_000:
        part = sentence(rng)
        parts.append(part)
        size += len(part.encode())
    return "".join(parts)


def make_terms(rng, count):
    terms = set()
    while len(terms) < count:
        terms.add("".join(rng.choice(COMMON) for _ in range(rng.randint(3, 6))))
    return sorted(terms)


def best(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=12)
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings.test")
    import django

    django.setup()
    from ahocorasick_rs import AhoCorasick

    from govsite.screening.engine import Lexicon, Meaning

    rng = random.Random(20261124)
    text = make_text(rng, options.megabytes)
    terms = make_terms(rng, options.terms)
    megabytes = len(text.encode()) / 1_000_000
    letters = [text[i : i + 700] for i in range(0, len(text), 700)]  # ~2 KB of UTF-8 each

    started = time.perf_counter()
    library = AhoCorasick(terms)
    build_library = time.perf_counter() - started
    started = time.perf_counter()
    engine = Lexicon([(term, Meaning("禁止内容", "测试")) for term in terms])
    build_engine = time.perf_counter() - started

    print(f"lexicon: {len(terms)} terms; text: {megabytes:.1f} MB UTF-8 ({len(text):,} chars)")
    print(
        f"automaton build: library {build_library * 1000:.0f} ms, "
        f"engine {build_engine * 1000:.0f} ms"
    )
    rows = [
        (
            "one long text",
            lambda: library.find_matches_as_indexes(text, overlapping=True),
            lambda: engine.findings("正文", text),
        ),
        (
            f"{len(letters):,} letters of ~2 KB",
            lambda: [library.find_matches_as_indexes(t, overlapping=True) for t in letters],
            lambda: [engine.findings("正文", t) for t in letters],
        ),
    ]
    for label, bare, full in rows:
        bare_time, bare_result = best(bare, options.repeat)
        full_time, full_result = best(full, options.repeat)
        matches = len(bare_result) if label == "one long text" else sum(map(len, bare_result))
        print(
            f"{label}: library {megabytes / bare_time:.0f} MB/s, engine "
            f"{megabytes / full_time:.0f} MB/s (engine/library {bare_time / full_time:.2f}); "
            f"{matches:,} matches"
        )

    article_latency(rng, options.repeat)


def article_latency(rng, repeat):
    """screen_page on a 5 KB article, against a throw-away database holding 10,000 terms."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    try:
        from govsite.columns.models import ArticlePage
        from govsite.screening.engine import screen_page
        from govsite.screening.models import ProhibitedCategory, ProhibitedTerm

        category = ProhibitedCategory.objects.get(number=9)
        ProhibitedTerm.objects.bulk_create(
            ProhibitedTerm(text=term, category=category) for term in make_terms(rng, 10_000)
        )
        body = make_text(rng, 0.005)
        chunks = range(0, len(body), 300)
        paragraphs = [("paragraph", f"<p>{body[i : i + 300]}</p>") for i in chunks]
        page = ArticlePage(title="关于开展政务公开工作的通知", body=paragraphs)
        screen_page(page)  # builds the automaton once, as a running process has
        times = []
        for _ in range(max(repeat, 1) * 100):
            started = time.perf_counter()
            screen_page(page)
            times.append(time.perf_counter() - started)
        times.sort()
        median, p95 = statistics.median(times), times[int(len(times) * 0.95)]
        print(
            "5 KB article, screen_page end to end: "
            f"median {median * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"
        )
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
