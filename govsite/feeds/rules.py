"""Which columns have RSS feeds and what a feed lists (issue 17 item 4; SPEC §11 R-SITE-1:
"RSS for dynamic columns"). The rules live here; the feed, the feed list page and the
<link rel="alternate"> of every page read them.

- A sub-column whose content is 动态更新 (``ContentKind.DYNAMIC``) has a feed of its items; a
  column has one of all its dynamic sub-columns together; the site has 最新信息, every dynamic
  sub-column together. A 相对固定 sub-column (办公室简介, 机构职能) has none.
- A feed lists the ``FEED_ITEMS`` newest live, public items (none under a view restriction).
- A feed lives beside its column's list: ``<column URL>rss.xml``, the site's at ``/rss.xml``; it
  is published as a file with the list and purged with it (govsite/publishing/store.py).
"""

import tomllib
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from pathlib import Path

from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page

from govsite.columns import render_cache
from govsite.columns.models import (
    ContentKind,
    live_structure,
    subtree_range,
)
from govsite.sections.models import Section

FEED_ITEMS = 20
COLUMN_DEPTH = 3  # root 1, homepage 2, columns 3, sub-columns 4, their items 5
FEED_NAME = "rss.xml"
SUMMARY_CHARS = 120
ROBOTS_FILE = Path(__file__).resolve().parent / "data" / "robots.toml"


@dataclass
class FeedScope:
    """What one feed covers: the site (``column`` None), a column or a sub-column."""

    title: str
    url_path: str  # the column's url_path ("" for the site)
    column: Page | None = None
    sub_columns: list = field(default_factory=list)  # the dynamic sub-columns it reads


def _build_scopes():
    structure = live_structure()
    dynamic = [page for page in structure if page.content_kind == ContentKind.DYNAMIC]
    dynamic_ids = {page.pk for page in dynamic}
    scopes = [FeedScope(title="最新信息", url_path="", sub_columns=dynamic)]
    for column in structure:
        # The structure holds columns (right under the homepage) and sub-columns (R-TREE-1).
        if column.depth == COLUMN_DEPTH:
            subs = [s for s in dynamic if s.path.startswith(column.path) and s.pk != column.pk]
            if subs:
                scopes.append(FeedScope(column.title, column.url_path, column, subs))
        elif column.pk in dynamic_ids:
            scopes.append(FeedScope(column.title, column.url_path, column, [column]))
    return scopes


def feed_scopes():
    """Every feed of the site: the site's first, then each column followed by its dynamic
    sub-columns, in tree order. Read once per version of the published site (render cache)."""
    return render_cache.cached("feed-scopes", _build_scopes)


def scope_for(url_path):
    """The feed of the column at ``url_path`` ("" for the site's), or None if it has none."""
    for scope in feed_scopes():
        if scope.url_path == url_path:
            return scope
    return None


def scopes_of(page):
    """The feeds a page offers in its <head>: the site's, and its column's or sub-column's (for
    an article, its sub-column's)."""
    if not isinstance(page, Page):
        return [scope_for("")]
    paths = {page.path, page.path[: -Page.steplen]}
    shown = [scope for scope in feed_scopes() if scope.column is None]
    shown += [s for s in feed_scopes() if s.column is not None and s.column.path in paths]
    return shown


def items(scope, count=FEED_ITEMS):
    """The newest live, public items of the scope's dynamic sub-columns, each as its own type,
    with ``feed_column`` (its sub-column) and ``feed_source`` (来源, the section's name) set.
    A fixed number of queries whatever the number of items or columns."""
    if not scope.sub_columns:
        return []
    ranges = reduce(or_, (Q(path__range=subtree_range(sub)) for sub in scope.sub_columns))
    depth = scope.sub_columns[0].depth + 1
    pages = list(
        Page.objects.live()
        .public()
        .filter(ranges, depth=depth)
        .order_by("-first_published_at", "-pk")
        .specific()[:count]
    )
    by_path = {sub.path: sub for sub in scope.sub_columns}
    section_ids = {getattr(page, "source_section_id", None) for page in pages}
    names = dict(Section.objects.filter(pk__in=section_ids - {None}).values_list("pk", "name"))
    for page in pages:
        page.feed_column = by_path.get(page.path[: -Page.steplen])
        page.feed_source = names.get(getattr(page, "source_section_id", None), "")
    return pages


def summary(page):
    """An item's description: the document's 内容概述, else the page's 搜索描述, else the
    beginning of its text."""
    text = getattr(page, "summary", "") or page.search_description
    if not text:
        paragraphs = [
            strip_tags(block.value.source)
            for block in getattr(page, "body", None) or []
            if block.block_type == "paragraph"
        ]
        text = " ".join(" ".join(paragraphs).split())
    return Truncator(text).chars(SUMMARY_CHARS)


def robots_disallowed():
    with open(ROBOTS_FILE, "rb") as handle:
        return tomllib.load(handle)["disallow"]
