"""One filtered listing over the documents' metadata (第十条, R-OPEN-1, R-OPEN-2): the 政务公开
目录 (every document of the site) and the policy library (the documents under 政策文件) are both
this listing, each with its own filters.

- Only live documents outside any view restriction, newest first (发布日期), paged.
- Filters: 第十条 category, 主题分类 (a top-level item selects its second-level items), 体裁,
  发布机构, year of publication, 有效性, sub-column; in the library also a full-text search over
  the project's Chinese search, where a 发文字号 or 索引号 typed in finds its document first.
- Each option of a filter shows how many documents it would list with the other filters kept
  (one grouped query a filter, so the count of queries does not grow with the documents).
- A value that is not an option (an unknown id, year "abc") is left out with a Chinese notice;
  the list is then what the other filters give, never an error.
- The counts, the number of documents listed and the search's matches are kept in the render
  cache (``govsite.columns.render_cache``) under the filters in force: its version changes with
  every purge of the published site, which every publication, withdrawal, move or deletion of a
  document causes, so a count is never older than the documents (over 100,000 documents each
  count reads the whole scope: bench/disclosure.py). Every query joins the tree rows
  (``wagtailcore_page``) and the documents' own rows once, by the page id, never through the
  page types' tables between them; a page's ids are read first, then its documents.

The listing is a view over the documents, not a copy: nothing is stored.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from wagtail.models import Page, PageViewRestriction

from govsite.columns import render_cache
from govsite.columns.models import LIST_PAGE_SIZE, live_structure, subtree_range
from govsite.days import day_start
from govsite.search.conf import SEARCH
from govsite.search.query import BODY, TITLE, Filters, count_matches, ranked_ids
from govsite.search.segment import query_tokens

from . import rules
from .models import (
    CatalogueCategory,
    DocumentColumnPage,
    DocumentPage,
    Genre,
    TopicCategory,
    Validity,
)

# Every filter a listing may offer, in the order the page shows them.
CATEGORY, TOPIC, GENRE, PUBLISHER, YEAR, VALIDITY, COLUMN = (
    "category",
    "topic",
    "genre",
    "publisher",
    "year",
    "validity",
    "column",
)
SEARCH_FIELD = "q"
LABELS = {
    CATEGORY: "目录类别",
    TOPIC: "主题分类",
    GENRE: "体裁",
    PUBLISHER: "发布机构",
    YEAR: "年份",
    VALIDITY: "有效性",
    COLUMN: "栏目",
    SEARCH_FIELD: "搜索",
}
FIRST_YEAR, LAST_YEAR = 1949, 2100
# What each filter's counts are grouped by (``year`` and ``column`` are annotated).
GROUPED_BY = {
    CATEGORY: "catalogue_category",
    TOPIC: "topic_id",
    GENRE: "genre_id",
    PUBLISHER: "publisher",
    YEAR: "year",
    VALIDITY: "validity",
    COLUMN: "column",
}


class ListingForm(forms.Form):
    """The filters as a GET form; each field is checked alone, so one bad value loses only
    itself (``Listing.notices`` says which)."""

    category = forms.ChoiceField(label=LABELS[CATEGORY], choices=CatalogueCategory.choices)
    topic = forms.IntegerField(label=LABELS[TOPIC], min_value=1)
    genre = forms.IntegerField(label=LABELS[GENRE], min_value=1)
    publisher = forms.CharField(label=LABELS[PUBLISHER], max_length=100)
    year = forms.IntegerField(label=LABELS[YEAR], min_value=FIRST_YEAR, max_value=LAST_YEAR)
    validity = forms.ChoiceField(label=LABELS[VALIDITY], choices=Validity.choices)
    column = forms.IntegerField(label=LABELS[COLUMN], min_value=1)
    q = forms.CharField(label=LABELS[SEARCH_FIELD], max_length=SEARCH["max_query_length"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            form_field.required = False


class CountedPaginator(Paginator):
    """A paginator told the number of items (kept in the render cache), not counting them."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self):
        return self._known_count


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool = False
    query: str = ""  # the URL query that selects this option (or clears it, when selected)
    children: list = field(default_factory=list)


@dataclass
class Facet:
    name: str
    label: str
    options: list


@dataclass
class Chosen:
    """A filter in force, shown with a link that removes it."""

    name: str
    label: str
    value: str
    remove: str


def restricted_paths():
    """Tree paths under a view restriction: their documents are never listed."""
    pages = PageViewRestriction.objects.order_by().values_list("page_id", flat=True)
    return list(Page.objects.order_by().filter(pk__in=list(pages)).values_list("path", flat=True))


# R-TREE-1: content lives exactly one level below the sub-columns (home 2, column 3, sub-column
# 4).
DOCUMENT_DEPTH = 5


def listed_pages(scope):
    """The tree rows (``wagtailcore_page`` alone) of the pages listed under ``scope`` (a page:
    the site's home, the policy library): live, at the documents' depth, outside any view
    restriction; ``listed_documents`` keeps the documents among them.

    The scope is tested on the path's prefix, which no index answers, with the depth: so the
    database walks the (depth, live, first_published_at, path) index newest first and stops at
    the page shown, rather than reading the scope's range from the path index and sorting every
    document in it (100,000 documents: bench/README.md)."""
    pages = (
        Page.objects.live()
        .order_by()
        .alias(scope_path=Substr("path", 1, len(scope.path)))
        .filter(depth=DOCUMENT_DEPTH, scope_path=scope.path)
    )
    for path in restricted_paths():
        pages = pages.exclude(path__range=subtree_range(Page(path=path)))
    return pages


def listed_documents(scope):
    """Live documents under ``scope`` outside any view restriction, newest first."""
    pages = listed_pages(scope).values("pk")
    return DocumentPage.objects.filter(pk__in=pages).order_by("-first_published_at", "-pk")


class Listing:
    """The documents under ``scope`` filtered by the GET ``data``; ``facets`` names the filters
    offered (in order), ``searchable`` adds the full-text search box."""

    def __init__(self, data, scope, facets, searchable=False, page_size=LIST_PAGE_SIZE):
        self.scope = scope
        self.facet_names = list(facets)
        self.searchable = searchable
        self.page_size = page_size
        self.form = ListingForm(data)
        self.notices = []
        self.values = self._clean(data)

    def _cached(self, what, build):
        """``build()``, kept in the render cache for these filters until the next purge."""
        filters = repr((self.scope.path, sorted(self.values.items()), what))
        key = hashlib.sha256(filters.encode()).hexdigest()[:32]
        return render_cache.cached("disclosure-listing", build, key)

    # Filters ------------------------------------------------------------------------------

    @cached_property
    def topics(self):
        return {topic.pk: topic for topic in TopicCategory.objects.all()}

    @cached_property
    def genres(self):
        return {genre.pk: genre for genre in Genre.objects.all()}

    @cached_property
    def columns(self):
        """The live sub-columns under the scope that hold documents (by tree path)."""
        return {
            page.path: page
            for page in live_structure()
            if page.path.startswith(self.scope.path)
            and issubclass(page.specific_class, DocumentColumnPage)
        }

    def _allowed(self, name):
        return name in self.facet_names or (name == SEARCH_FIELD and self.searchable)

    def _clean(self, data):
        """The valid filters; each invalid one is left out with a notice."""
        values = {}
        for name, form_field in self.form.fields.items():
            raw = data.get(name, "")
            if not self._allowed(name) or not str(raw).strip():
                continue
            try:
                value = form_field.clean(str(raw).strip())
            except forms.ValidationError:
                value = None
            if value in (None, "") or not self._exists(name, value):
                shown = str(raw)[:30]
                self.notices.append(f"筛选条件“{LABELS[name]}”的值“{shown}”无效，已忽略。")
                continue
            values[name] = value
        return values

    def _exists(self, name, value):
        if name == TOPIC:
            return value in self.topics
        if name == GENRE:
            return value in self.genres
        if name == COLUMN:
            return any(page.pk == value for page in self.columns.values())
        return True

    # Filters on the tree rows (``wagtailcore_page``) and on the documents' own rows
    # (``disclosure_documentpage``): each query joins the two tables once, by the page id,
    # never through the four tables of the page types between them (bench/README.md).
    PAGE_FILTERS = (YEAR, COLUMN)

    def _filtered(self, without=None):
        """(tree rows, document rows) of the documents listed with every filter in force but
        ``without``; neither restricted to the other yet (``_listed_pages``,
        ``_listed_documents``)."""
        pages, documents = self.base_pages, self.base_documents
        for name, value in self.values.items():
            if name in (without, SEARCH_FIELD):
                continue
            if name in self.PAGE_FILTERS:
                pages = self._apply(pages, name, value)
            else:
                documents = self._apply(documents, name, value)
        return pages, documents

    def _listed_pages(self, without=None, newest_first=False):
        """The tree rows of the documents listed (``without`` one filter): a query on
        ``wagtailcore_page`` whose rows are kept when their document row passes.

        To count, the passing documents' ids are read once (``pk__in``); to read the newest
        first (``newest_first``), each row's document is looked up by id instead, so the
        database walks the tree index and stops at the page shown, where ``pk__in`` makes
        SQLite read every document and sort them (bench/README.md)."""
        pages, documents = self._filtered(without)
        if newest_first:
            passing = Exists(documents.filter(pk=OuterRef("pk")))
            return pages.filter(passing).order_by("-first_published_at", "-pk")
        return pages.filter(pk__in=documents.values("pk"))

    def _listed_documents(self, without=None):
        """The document rows of the documents listed (``without`` one filter): a query on
        ``disclosure_documentpage`` whose rows are kept when their tree row passes."""
        pages, documents = self._filtered(without)
        return documents.filter(pk__in=pages.values("pk"))

    def _apply(self, rows, name, value):
        if name == CATEGORY:
            return rows.filter(catalogue_category=value)
        if name == TOPIC:
            if self.topics[value].parent_id is None:
                children = [pk for pk, topic in self.topics.items() if topic.parent_id == value]
                return rows.filter(topic_id__in=children)
            return rows.filter(topic_id=value)
        if name == GENRE:
            return rows.filter(genre_id=value)
        if name == PUBLISHER:
            return rows.filter(publisher=value)
        if name == YEAR:
            start, end = day_start_of_year(value), day_start_of_year(value + 1)
            return rows.filter(first_published_at__gte=start, first_published_at__lt=end)
        if name == VALIDITY:
            return rows.filter(validity=value)
        if name == COLUMN:
            column = next(page for page in self.columns.values() if page.pk == value)
            # A prefix, as for the scope (``listed_pages``): the list stays index-ordered.
            prefix = Substr("path", 1, len(column.path))
            return rows.alias(column_path=prefix).filter(column_path=column.path)
        raise ValueError(name)

    @cached_property
    def base_pages(self):
        """The tree rows of the scope's listed pages."""
        return listed_pages(self.scope)

    @cached_property
    def base_documents(self):
        """Every document row, narrowed to the search's matches when there is a query."""
        documents = DocumentPage.objects.order_by()
        if SEARCH_FIELD in self.values:
            documents = documents.filter(pk__in=self.matches)
        return documents

    # Search -------------------------------------------------------------------------------

    @cached_property
    def matches(self):
        return self._cached("matches", self._matches)

    def _matches(self):
        """The ids of the documents the query finds, best first: a document whose 发文字号 or
        索引号 is what was typed, then those with every word in the title, then the rest
        (the project's Chinese search, restricted to the scope); at most ``max_results``."""
        text = self.values.get(SEARCH_FIELD, "")
        exact = listed_documents(self.scope).filter(
            document_number=rules.normalise_document_number(text)
        ) | listed_documents(self.scope).filter(index_number=text.strip())
        ids = list(exact.values_list("pk", flat=True))
        tokens = query_tokens(text)
        limit = SEARCH["max_results"]
        if tokens:
            filters = Filters(within=self.scope)
            titled = count_matches(tokens, filters, tier=TITLE, cap=limit)
            ids += [pk for pk, _ in ranked_ids(tokens, filters, TITLE, 0, titled)]
            ids += [pk for pk, _ in ranked_ids(tokens, filters, BODY, 0, limit - titled)]
        return list(dict.fromkeys(ids))[:limit]

    # The page of documents ---------------------------------------------------------------------

    @cached_property
    def page(self):
        """The page of documents shown (``?page=N``, the last one when N is too large).

        The page's ids are read first from the tree rows alone, newest first, so a late page
        (an OFFSET of tens of thousands) walks the narrow index and nothing else; then its
        documents are read by id."""
        if SEARCH_FIELD not in self.values:
            count = self._cached("total", self._listed_pages().count)
            ordered = self._listed_pages(newest_first=True).values_list("pk", flat=True)
            page = CountedPaginator(ordered, self.page_size, count).get_page(self.page_number)
        else:
            # Search results keep the search's order: the ids are paged, then read.
            found = set(self._listed_pages().values_list("pk", flat=True))
            ordered = [pk for pk in self.matches if pk in found]
            page = Paginator(ordered, self.page_size).get_page(self.page_number)
        ids = list(page.object_list)
        rows = DocumentPage.objects.in_bulk(ids)
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return page

    @cached_property
    def page_number(self):
        return self.form.data.get("page")

    def interpretation_links(self):
        """{policy id: its newest published 解读} for the documents shown (one query)."""
        shown = [document.pk for document in self.page.object_list]
        links = {}
        interpretations = DocumentPage.objects.live().filter(interprets_id__in=shown)
        for interpretation in interpretations.order_by("first_published_at", "pk"):
            links[interpretation.interprets_id] = interpretation
        return links

    def rows(self):
        """(document, its 解读 or None) for the page shown."""
        links = self.interpretation_links()
        return [(document, links.get(document.pk)) for document in self.page.object_list]

    @property
    def filtered(self):
        return any(name != SEARCH_FIELD for name in self.values) or SEARCH_FIELD in self.values

    # Counts ------------------------------------------------------------------------------------

    def counts(self, name):
        """{option value: how many documents it lists, the other filters kept}."""
        return self._cached(("counts", name), lambda: self._counts(name))

    def _counts(self, name):
        if name == YEAR:
            return year_counts(self._listed_pages(without=name))
        if name == COLUMN:
            length = len(next(iter(self.columns), "")) or 1
            rows = self._listed_pages(without=name).annotate(column=Substr("path", 1, length))
        else:
            rows = self._listed_documents(without=name)
            if name == TOPIC:
                rows = rows.filter(topic__isnull=False)
            elif name == GENRE:
                rows = rows.filter(genre__isnull=False)
        key = GROUPED_BY[name]
        return dict(rows.values(key).annotate(n=Count("pk")).values_list(key, "n"))

    def facets(self):
        return [self._facet(name) for name in self.facet_names]

    def _facet(self, name):
        counts = self.counts(name)
        chosen = self.values.get(name)
        if name == TOPIC:
            return Facet(name, LABELS[name], self._topic_options(counts, chosen))
        if name == CATEGORY:
            labels = [(value, label) for value, label in CatalogueCategory.choices]
        elif name == VALIDITY:
            labels = [(value, label) for value, label in Validity.choices]
        elif name == GENRE:
            labels = [(pk, genre.name) for pk, genre in self.genres.items()]
        elif name == PUBLISHER:
            labels = [(value, value) for value in sorted(counts, key=lambda v: (-counts[v], v))]
        elif name == YEAR:
            labels = [(year, f"{year}年") for year in sorted(counts, reverse=True)]
        else:  # COLUMN: sub-columns in tree order, counted by their path
            columns = self.columns
            counts = {columns[path].pk: n for path, n in counts.items() if path in columns}
            labels = [(page.pk, page.title) for page in columns.values()]
        keep_empty = name in (CATEGORY,)
        options = [
            self._option(name, value, label, counts.get(value, 0), chosen)
            for value, label in labels
            if keep_empty or counts.get(value, 0) or value == chosen
        ]
        return Facet(name, LABELS[name], options)

    def _topic_options(self, counts, chosen):
        selected = self.topics.get(chosen)
        open_top = selected.parent_id or selected.pk if selected else None
        tops = []
        for topic in self.topics.values():
            if topic.parent_id is not None:
                continue
            children = [
                self._option(TOPIC, child.pk, child.name, counts.get(child.pk, 0), chosen)
                for child in self.topics.values()
                if child.parent_id == topic.pk and (counts.get(child.pk) or child.pk == chosen)
            ]
            total = sum(option.count for option in children)
            if total or topic.pk == open_top:
                option = self._option(TOPIC, topic.pk, topic.name, total, chosen)
                option.children = children if topic.pk == open_top else []
                tops.append(option)
        return tops

    def _option(self, name, value, label, count, chosen):
        selected = value == chosen
        return Option(
            value=str(value),
            label=label,
            count=count,
            selected=selected,
            query=self.query(**{name: None if selected else value}),
        )

    # Links ------------------------------------------------------------------------------------

    def query(self, **changes):
        """The URL query of the filters in force with ``changes`` (None removes a filter);
        the page number is dropped, so a changed filter starts at page 1."""
        values = {**self.values, **changes}
        pairs = [(name, values[name]) for name in self.form.fields if values.get(name) is not None]
        return "?" + urlencode(pairs) if pairs else "?"

    def page_query(self, number):
        """The URL query of page ``number`` of this list."""
        pairs = [(name, self.values[name]) for name in self.form.fields if name in self.values]
        if number > 1:
            pairs.append(("page", number))
        return "?" + urlencode(pairs) if pairs else "?"

    @property
    def first_page_query(self):
        return self.page_query(1)

    @property
    def previous_page_query(self):
        return self.page_query(self.page.previous_page_number())

    @property
    def next_page_query(self):
        return self.page_query(self.page.next_page_number())

    @property
    def last_page_query(self):
        return self.page_query(self.page.paginator.num_pages)

    def chosen(self):
        """The filters in force, each with the link that removes it."""
        shown = []
        for name in self.form.fields:
            if name not in self.values:
                continue
            shown.append(Chosen(name, LABELS[name], self._label(name), self.query(**{name: None})))
        return shown

    def _label(self, name):
        value = self.values[name]
        if name == CATEGORY:
            return CatalogueCategory(value).label
        if name == VALIDITY:
            return Validity(value).label
        if name == TOPIC:
            return str(self.topics[value])
        if name == GENRE:
            return self.genres[value].name
        if name == COLUMN:
            return next(page.title for page in self.columns.values() if page.pk == value)
        if name == YEAR:
            return f"{value}年"
        return str(value)


def year_counts(documents):
    """{year: documents published in it} (the office's time zone), counted by comparing the
    publication time with each year's bounds: extracting the year of every row calls a
    function per row on SQLite."""
    span = documents.aggregate(first=Min("first_published_at"), last=Max("first_published_at"))
    if span["first"] is None:
        return {}
    years = range(timezone.localtime(span["first"]).year, timezone.localtime(span["last"]).year + 1)
    counts = documents.aggregate(
        **{
            f"y{year}": Count(
                "pk",
                filter=Q(
                    first_published_at__gte=day_start_of_year(year),
                    first_published_at__lt=day_start_of_year(year + 1),
                ),
            )
            for year in years
        }
    )
    return {year: counts[f"y{year}"] for year in years if counts[f"y{year}"]}


def day_start_of_year(year):
    """00:00 on 1 January of ``year`` in the office's time zone."""
    return day_start(date(year, 1, 1))
