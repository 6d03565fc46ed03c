"""上一篇/下一篇 and 相关信息 of an article (issue 17 item 2; SPEC §11, R-SITE-1).

The rule, in one place, for the page that shows the links and for the purge that keeps the
published files of the other pages right (``linked_from``, read by ``publishing.rules``):

- An article's column lists its items newest first. 上一篇 is the item above it in that list
  (the next newer one), 下一篇 the item below it (the next older one).
- 相关信息 are the items that follow 下一篇 in the same column, ``RELATED_ITEMS`` of them: the
  column's earlier items nearest in time. A page type may offer its own instead (a document with
  关键词: the earlier documents that share one, ``related_by_terms``).
- Only earlier items are related, so that publishing a new item — the usual change — makes stale
  only the item that was the newest (its 上一篇 is now the new one), never the whole column.

One query, whatever the size of the column; two for a page type with its own 相关信息.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from wagtail.models import Page

# How many related items an article shows under 相关信息.
RELATED_ITEMS = 5


@dataclass
class ArticleLinks:
    previous: Page | None = None  # 上一篇: the next newer item of the column
    next: Page | None = None  # 下一篇: the next older item of the column
    related: list = field(default_factory=list)  # 相关信息


def column_of(page):
    """The column the page lives in: the one routing passed through (no query), else read."""
    return getattr(page, "_cached_parent_obj", None) or page.get_parent()


def _items_of(column, page):
    """The column's live items but ``page``, addresses only."""
    width = Page._meta.get_field("path").max_length
    subtree = (column.path, column.path + "Z" * (width - len(column.path)))
    items = Page.objects.live().filter(path__range=subtree, depth=column.depth + 1)
    return items.exclude(pk=page.pk).only("id", "title", "url_path", "first_published_at")


def later_than(page):
    """Published after ``page`` (the same moment: created after it)."""
    moment = page.first_published_at
    return Q(first_published_at__gt=moment) | Q(first_published_at=moment, pk__gt=page.pk)


def earlier_than(page):
    """Published before ``page`` (the same moment: created before it)."""
    moment = page.first_published_at
    return Q(first_published_at__lt=moment) | Q(first_published_at=moment, pk__lt=page.pk)


# The next newer item and the RELATED_ITEMS + 1 next older ones, in one query: two ordered,
# limited selections joined (Django cannot write a LIMIT inside a UNION on SQLite).
NEIGHBOURS_SQL = """
SELECT id, title, url_path, first_published_at, side FROM (
    SELECT id, title, url_path, first_published_at, 0 AS side FROM {page}
    WHERE live = %s AND depth = %s AND path BETWEEN %s AND %s AND id <> %s
      AND (first_published_at > %s OR (first_published_at = %s AND id > %s))
    ORDER BY first_published_at ASC, id ASC LIMIT 1
) newer
UNION ALL
SELECT id, title, url_path, first_published_at, side FROM (
    SELECT id, title, url_path, first_published_at, 1 AS side FROM {page}
    WHERE live = %s AND depth = %s AND path BETWEEN %s AND %s AND id <> %s
      AND (first_published_at < %s OR (first_published_at = %s AND id < %s))
    ORDER BY first_published_at DESC, id DESC LIMIT %s
) older
"""


def _neighbours(column, page):
    """(the next newer item, [the next older items]) of ``page`` in ``column``."""
    width = Page._meta.get_field("path").max_length
    where = [True, column.depth + 1, column.path, column.path + "Z" * (width - len(column.path))]
    where += [page.pk, page.first_published_at, page.first_published_at, page.pk]
    sql = NEIGHBOURS_SQL.format(page=connection.ops.quote_name(Page._meta.db_table))
    rows = list(Page.objects.raw(sql, [*where, *where, RELATED_ITEMS + 1]))
    newer = [row for row in rows if row.side == 0]
    older = sorted(
        (row for row in rows if row.side == 1),
        key=lambda row: (row.first_published_at, row.pk),
        reverse=True,
    )
    return (newer[0] if newer else None), older


def article_links(page):
    """上一篇, 下一篇 and 相关信息 of a published ``page`` (nothing for a draft's preview)."""
    if page.first_published_at is None or not page.pk:
        return ArticleLinks()
    previous, earlier = _neighbours(column_of(page), page)
    links = ArticleLinks(previous=previous, next=earlier[0] if earlier else None)
    by_terms = getattr(page, "related_by_terms", None)
    related = by_terms(RELATED_ITEMS) if by_terms is not None else None
    links.related = related if related is not None else earlier[1:]
    return links


def linked_from(page, column):
    """The live items of ``column`` whose published copy links ``page`` (as 上一篇, 下一篇 or
    相关信息): stale when ``page`` is published, withdrawn, moved into or out of ``column`` or
    deleted. Its next older item (whose 上一篇 it is) and the ``RELATED_ITEMS`` + 1 newer items
    nearest it (whose 下一篇 or 相关信息 it is)."""
    if page.first_published_at is None or column is None:
        return []
    items = _items_of(column, page)
    older = items.filter(earlier_than(page)).order_by("-first_published_at", "-pk")[:1]
    newer = items.filter(later_than(page)).order_by("first_published_at", "pk")[: RELATED_ITEMS + 1]
    return [*older, *newer]
