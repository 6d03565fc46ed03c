"""The public site search (SPEC §11 "Chinese full-text search"): ranking, filters, snippets,
suggestions.

It reads the index that ``govsite.search.backend`` writes (Wagtail's ``IndexEntry``: segmented
title and body) with one ranked query that joins the page table:

- only live content pages (``columns.models.content_page_models``: articles, profiles and the
  kinds other apps add — a 政务公开 document, a 办事指南) outside any view restriction
  (``PageViewRestriction``);
- optionally under one column or sub-column, and first published within a date range;
- every query word must occur (title or body);
- ranked by relevance with title hits weighted ``title_boost`` times body hits (BM25 column
  weights on SQLite FTS5, ``ts_rank`` per field on PostgreSQL), newer first on equal scores.

Each result says what kind of item it is (``kind_of``: a page type's ``search_kind``, else its
name — 文件, 办事指南, 文章…), with a snippet cut from its body and the texts its type publishes
besides (``screening_texts``, the same answer the screening reads: a guide's elements, a
document's 发文字号…).

Wagtail's generic ``.search()`` scores each candidate with a correlated sub-query, which does not
keep to the 50 ms goal over 100,000 articles; this query ranks and pages in one statement.
Everything but the match and the score is the same SQL on both databases.
"""

import difflib
import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import prefetch_related_objects
from django.utils.functional import cached_property
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from modelsearch.utils import get_descendants_content_types_pks as content_type_pks
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail.search.models import IndexEntry

from govsite.columns.models import content_page_models
from govsite.days import day_start

from .conf import SEARCH
from .models import SearchWord
from .segment import query_tokens


def content_type_ids():
    """Every kind of content page, those of the apps above included (each is indexed under its
    own type): columns answers which they are, so search learns of a new kind without
    importing it."""
    return sorted({pk for model in content_page_models() for pk in content_type_pks(model)})


@dataclass
class Filters:
    """Where to look: a column or sub-column, and a range of 发布时间 (dates, inclusive)."""

    within: Page | None = None
    start: "datetime.date | None" = None
    end: "datetime.date | None" = None

    @cached_property
    def restricted_paths(self):
        """Tree paths under a view restriction (password, login, groups): never searched."""
        # Two small queries: joining the restrictions to the page table scans every page.
        pages = list(PageViewRestriction.objects.order_by().values_list("page_id", flat=True))
        return list(Page.objects.order_by().filter(pk__in=pages).values_list("path", flat=True))


# Which documents a query reads: every match, those with every word in the title, the rest.
ALL, TITLE, BODY = "all", "title", "body"


class _Dialect:
    """The two parts that differ between the databases: matching the words (in a tier), and
    the score (higher is better)."""

    def __init__(self, vendor):
        self.vendor = vendor
        self.entries = IndexEntry._meta.db_table

    def source(self, tokens, tier):
        if self.vendor == "sqlite":
            # FTS5: each word a quoted string; juxtaposed strings must all occur; ``title :``
            # restricts them to the title column.
            words = " ".join('"{}"'.format(token.replace('"', '""')) for token in tokens)
            match = {
                ALL: words,
                TITLE: f"title : ({words})",
                BODY: f"({words}) NOT title : ({words})",
            }[tier]
            return (
                f"{self.entries}_fts AS f JOIN {self.entries} AS e ON e.id = f.rowid",
                f"{self.entries}_fts MATCH %s",
                [match],
            )
        # PostgreSQL: each word in the title or the body (GIN indexes on both).
        condition = " AND ".join(
            "(e.title @@ plainto_tsquery('simple', %s) OR e.body @@ plainto_tsquery('simple', %s))"
            for _ in tokens
        )
        params = [t for token in tokens for t in (token, token)]
        if tier != ALL:
            negation = "" if tier == TITLE else "NOT "
            condition += f" AND {negation}(e.title @@ plainto_tsquery('simple', %s))"
            params.append(" ".join(tokens))
        return f"{self.entries} AS e", condition, params

    def score(self, tokens):
        boost = float(SEARCH["title_boost"])
        if self.vendor == "sqlite":
            # bm25 is negative, lower is better; columns: autocomplete, body, title.
            return f"-bm25({self.entries}_fts, 0.0, 1.0, %s)", [boost]
        query = "plainto_tsquery('simple', %s)"
        return (
            f"(%s * ts_rank(e.title, {query}) + ts_rank(e.body, {query}))",
            [boost, " ".join(tokens), " ".join(tokens)],
        )


def _where(tokens, filters, tier):
    dialect = _Dialect(connection.vendor)
    source, match, params = dialect.source(tokens, tier)
    content_types = content_type_ids()
    where = [
        match,
        f"e.content_type_id IN ({', '.join(['%s'] * len(content_types))})",
        "p.live = %s",
    ]
    params = [*params, *content_types, True]
    for path in filters.restricted_paths:
        where.append("p.path NOT LIKE %s")
        params.append(f"{path}%")
    if filters.within is not None:
        where.append("p.path LIKE %s")
        params.append(f"{filters.within.path}%")
    if filters.start is not None:
        where.append("p.first_published_at >= %s")
        params.append(connection.ops.adapt_datetimefield_value(day_start(filters.start)))
    if filters.end is not None:
        where.append("p.first_published_at < %s")
        params.append(
            connection.ops.adapt_datetimefield_value(day_start(filters.end + timedelta(days=1)))
        )
    page_table = Page._meta.db_table
    sql = (
        f" FROM {source} JOIN {page_table} AS p ON p.id = CAST(e.object_id AS INTEGER)"
        f" WHERE {' AND '.join(where)}"
    )
    return dialect, sql, params


def count_matches(tokens, filters=None, tier=ALL, cap=None):
    """How many visible pages match (all words), counting no further than ``cap``."""
    if not tokens:
        return 0
    _, sql, params = _where(tokens, filters or Filters(), tier)
    if cap is None:
        query = f"SELECT COUNT(*){sql}"
    else:
        query, params = f"SELECT COUNT(*) FROM (SELECT 1{sql} LIMIT %s) AS hits", [*params, cap]
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def ranked_ids(tokens, filters=None, tier=ALL, offset=0, limit=10):
    """[(page id, score)] of one page of results in ``tier``, best first; newer first on
    equal scores."""
    if not tokens or limit <= 0:
        return []
    dialect, sql, params = _where(tokens, filters or Filters(), tier)
    score, score_params = dialect.score(tokens)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, {score} AS score{sql}"
            " ORDER BY score DESC, p.first_published_at DESC, p.id DESC LIMIT %s OFFSET %s",
            [*score_params, *params, limit, offset],
        )
        return cursor.fetchall()


# ---------------------------------------------------------------------------------------------
# Results as the page shows them


def plain_body(page):
    """The text of a page's body paragraphs (and subtitle), without markup."""
    parts = [getattr(page, "subtitle", "")]
    for block in page.body:
        if block.block_type == "paragraph":
            parts.append(html.unescape(strip_tags(block.value.source)))
        elif block.block_type == "image":
            parts.append(block.value.caption_text())
    return " ".join(part.strip() for part in parts if part and part.strip())


def page_text(page):
    """The text a result's snippet is cut from: the body, then each text the page's type
    publishes besides title and body (``screening_texts``: a guide's 申请条件, 办理材料…; a
    document's 发文字号…), with its label."""
    parts = [plain_body(page)]
    texts = getattr(page, "screening_texts", None)
    if texts is not None:
        parts += [f"{label}：{text.strip()}" for label, text in texts() if text and text.strip()]
    return " ".join(part for part in parts if part)


def kind_of(page):
    """What kind of item a result is, as the results page says it: 文件, 办事指南, 文章…"""
    return getattr(page, "search_kind", None) or page._meta.verbose_name


def prefetch_searched_relations(pages):
    """The related rows each page type indexes (``index.RelatedFields``: a guide's materials),
    read once per type for all ``pages``: a result's snippet reads them."""
    by_type = {}
    for page in pages:
        by_type.setdefault(type(page), []).append(page)
    for model, group in by_type.items():
        names = [
            field.field_name
            for field in model.get_search_fields()
            if isinstance(field, index.RelatedFields)
        ]
        if names:
            prefetch_related_objects(group, *names)


def _pattern(tokens):
    words = sorted({token for token in tokens if token}, key=len, reverse=True)
    if not words:
        return None
    # Adjacent words are marked as one: 电信 + 诈骗 → <mark>电信诈骗</mark>.
    return re.compile(f"(?:{'|'.join(re.escape(word) for word in words)})+", re.IGNORECASE)


def highlight(text, tokens):
    """``text`` escaped, with every occurrence of a query word wrapped in ``<mark>``."""
    pattern = _pattern(tokens)
    if pattern is None:
        return escape(text)
    parts, position = [], 0
    for found in pattern.finditer(text):
        parts.append(escape(text[position : found.start()]))
        parts.append(f"<mark>{escape(found.group())}</mark>")
        position = found.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def snippet(text, tokens, length=None):
    """About ``length`` characters of ``text`` around its first query word, highlighted."""
    length = length or SEARCH["snippet_length"]
    pattern = _pattern(tokens)
    found = pattern.search(text) if pattern else None
    start = max(0, found.start() - length // 4) if found else 0
    piece = text[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return mark_safe(f"{prefix}{highlight(piece, tokens)}{suffix}")  # noqa: S308


@dataclass
class Hit:
    page: Page
    score: float
    title: str
    snippet: str
    column: Page | None
    sub_column: Page | None
    kind: str


class Results:
    """The results of one search, lazily: ``count()`` and slices, as Django's Paginator wants.

    Pages with every query word in the title come first (title over body), each group ranked
    by score. Counting stops at ``max_results``: past it, ``capped`` is set and no more are
    listed (a broad word can match most of the site; nobody reads its 1,000th result).
    """

    limit = SEARCH["max_results"]

    def __init__(self, tokens, filters=None):
        self.tokens = tokens
        self.filters = filters or Filters()

    @cached_property
    def _matches(self):
        return count_matches(self.tokens, self.filters, cap=self.limit + 1)

    @property
    def capped(self):
        return self._matches > self.limit

    def count(self):
        return min(self._matches, self.limit)

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        offset = key.start or 0
        stop = min(key.stop if key.stop is not None else self.count(), self.count())
        if stop <= offset:
            return []
        # Exact up to ``stop``, which is all the split between the two groups needs.
        titled = count_matches(self.tokens, self.filters, tier=TITLE, cap=stop)
        rows = ranked_ids(self.tokens, self.filters, TITLE, offset, min(stop, titled) - offset)
        rows += ranked_ids(
            self.tokens,
            self.filters,
            BODY,
            max(0, offset - titled),
            stop - max(offset, titled),
        )
        return self._hits(rows)

    def _hits(self, rows):
        pages = Page.objects.filter(pk__in=[pk for pk, _ in rows]).specific().in_bulk()
        prefetch_searched_relations(pages.values())
        steplen = Page.steplen
        wanted = {p.path[: 3 * steplen] for p in pages.values()}
        wanted |= {p.path[:-steplen] for p in pages.values()}
        parents = {page.path: page for page in Page.objects.filter(path__in=wanted)}
        hits = []
        for pk, score in rows:
            page = pages.get(pk)
            if page is None:
                continue
            hits.append(
                Hit(
                    page=page,
                    score=score,
                    title=highlight(page.title, self.tokens),
                    snippet=snippet(page_text(page), self.tokens),
                    column=parents.get(page.path[: 3 * steplen]),
                    sub_column=parents.get(page.path[:-steplen]),
                    kind=kind_of(page),
                )
            )
        return hits


def search(text, filters=None):
    """The query words of ``text`` and its ``Results``."""
    tokens = query_tokens(text[: SEARCH["max_query_length"]])
    return tokens, Results(tokens, filters)


# ---------------------------------------------------------------------------------------------
# 您是不是要找: cheap suggestions when nothing was found


def suggestions(text, tokens, filters=None, limit=3):
    """Queries that would find something: dictionary words close to what was typed (a typing
    slip: 一网同办 → 一网通办), and the query without the words that find nothing, then
    without the rarest until something is found."""
    filters = filters or Filters()
    found = []
    words = list(SearchWord.objects.enabled().values_list("word", flat=True))
    wanted = "".join(tokens) or text
    for word in difflib.get_close_matches(wanted, words, n=limit, cutoff=0.5):
        if word != wanted and count_matches(query_tokens(word), filters, cap=1):
            found.append(word)
    if len(tokens) > 1:
        cap = SEARCH["max_results"]
        counts = {token: count_matches([token], filters, cap=cap) for token in tokens}
        kept = [token for token in tokens if counts[token]]
        while kept and not count_matches(kept, filters, cap=1):
            kept.remove(min(kept, key=counts.get))
        if kept:
            found.append(" ".join(kept))
    return list(dict.fromkeys(found))[:limit]
