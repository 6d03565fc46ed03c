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
- Everything is read from the listing index (``ListedDocument``, ``listing_index``): one
  narrow row per listable document, kept equal to the documents' rows, read from its two
  covering indexes — a page's ids newest first at any depth of OFFSET, then its documents by id.
- Every count comes from one grouped query over the facets of few values (sub-column, 发布机构,
  year, 有效性, category, 体裁: the scope's rows grouped by all of them at once, a few hundred
  groups, counted in Python for every option with the other filters kept), plus one grouped
  query per facet of many values (主题分类, ``WIDE``). The groups are kept once for every
  combination of the filters of few values (so a filtered list after the unfiltered one only
  sums in Python); the counts, the number of documents
  listed and the search's matches are kept in the render cache
  (``govsite.columns.render_cache``) under the filters in force: its version changes with every
  purge of the published site, which every publication, withdrawal, move or deletion of a
  document causes, so a count is never older than the documents (100,000 documents:
  bench/README.md).

The listing is a view over the documents, not a copy: the index holds only what is filtered,
counted and ordered by, and the page rows stay the truth.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count
from django.utils.functional import cached_property
from django.utils.http import urlencode
from wagtail.models import Page, PageViewRestriction

from govsite.columns import render_cache
from govsite.columns.models import LIST_PAGE_SIZE, live_structure
from govsite.search.conf import SEARCH
from govsite.search.query import BODY, TITLE, Filters, count_matches, ranked_ids
from govsite.search.segment import query_tokens

from . import rules
from .listing_index import DOCUMENT_DEPTH
from .models import (
    CatalogueCategory,
    DocumentColumnPage,
    DocumentPage,
    Genre,
    ListedDocument,
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
# The listing index's column of each filter.
GROUPED_BY = {
    CATEGORY: "catalogue_category",
    TOPIC: "topic_id",
    GENRE: "genre_id",
    PUBLISHER: "publisher",
    YEAR: "year",
    VALIDITY: "validity",
    COLUMN: "column_id",
}
# Facets of many values (about 100 second-level 主题分类): counted in a grouped query of their
# own, not in the one grouped by every facet of few values (whose groups they would multiply).
WIDE = (TOPIC,)
# The columns of ``ListedDocument``'s counts index, in its order.
COUNTED_IN_ORDER = ["column_id", "year", "validity", "publisher", "catalogue_category", "genre_id"]


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


def listed_scope(scope):
    """The listing index's rows of the documents listed under ``scope`` (a page: the site's
    home, the policy library): those whose sub-column lies under it, outside any view
    restriction (on a column above, the sub-column or the document itself)."""
    restricted = list(
        Page.objects.order_by()
        .filter(pk__in=PageViewRestriction.objects.order_by().values("page_id"))
        .values_list("pk", "path", "depth")
    )
    # Every page at the sub-columns' depth (a few dozen, read from the depth index), kept in
    # Python when under the scope: a path range would walk every document of the scope.
    columns = [
        pk
        for pk, path in Page.objects.order_by()
        .filter(depth=DOCUMENT_DEPTH - 1)
        .values_list("pk", "path")
        if path.startswith(scope.path)
        and not any(path.startswith(closed) for _, closed, depth in restricted)
    ]
    rows = ListedDocument.objects.order_by().filter(column_id__in=columns)
    closed_documents = [pk for pk, _, depth in restricted if depth == DOCUMENT_DEPTH]
    if closed_documents:
        rows = rows.exclude(page_id__in=closed_documents)
    return rows


def listed_documents(scope):
    """Live documents under ``scope`` outside any view restriction, newest first."""
    ids = listed_scope(scope).values("page_id")
    return DocumentPage.objects.filter(pk__in=ids).order_by("-first_published_at", "-pk")


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

    def _cached(self, what, build, names=None):
        """``build()``, kept in the render cache for these filters (or only those ``names``)
        until the next purge."""
        values = {k: v for k, v in self.values.items() if names is None or k in names}
        filters = repr((self.scope.path, sorted(values.items()), what))
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

    def _rows(self, without=None, kept=None):
        """The listing index's rows of the documents listed with every filter in force but
        ``without`` (or only the filters named in ``kept``)."""
        rows = self.base_rows
        for name, value in self.values.items():
            if name in (without, SEARCH_FIELD) or (kept is not None and name not in kept):
                continue
            rows = self._apply(rows, name, value)
        return rows

    def _apply(self, rows, name, value):
        if name == TOPIC and self.topics[value].parent_id is None:
            children = [pk for pk, topic in self.topics.items() if topic.parent_id == value]
            return rows.filter(topic_id__in=children)
        return rows.filter(**{GROUPED_BY[name]: value})

    @cached_property
    def base_rows(self):
        """The index rows of the scope, narrowed to the search's matches when there is a
        query."""
        rows = listed_scope(self.scope)
        if SEARCH_FIELD in self.values:
            rows = rows.filter(page_id__in=self.matches)
        return rows

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

        The page's ids are read first from the listing index alone, newest first, so a late
        page (an OFFSET of tens of thousands) walks its narrow covering index and nothing else;
        then its documents are read by id."""
        if SEARCH_FIELD not in self.values:
            count = self.all_counts()["total"]
            ordered = (
                self._rows().order_by("-published_at", "-page_id").values_list("page_id", flat=True)
            )
            page = CountedPaginator(ordered, self.page_size, count).get_page(self.page_number)
        else:
            # Search results keep the search's order: the ids are paged, then read.
            found = set(self._rows().values_list("page_id", flat=True))
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
        return self.all_counts()[name]

    def all_counts(self):
        """Every facet's counts and the number of documents listed ("total"), kept in the
        render cache until the next purge."""
        return self._cached("counts", self._all_counts)

    def _all_counts(self):
        """One grouped query over the facets of few values (``narrow``): for each group of
        values, how many documents; an option's count is the sum over the groups that have its
        value and pass every other filter of few values (the filters of many values are in the
        query). Then one grouped query per facet of many values, every other filter kept."""
        narrow = [name for name in self.facet_names if name not in WIDE]
        counts = {name: Counter() for name in self.facet_names}
        total = 0
        if narrow:
            wide_filters = [name for name in self.values if name not in narrow]
            # Grouped in the order of the counts index (a prefix of it), so the database
            # counts while walking the index rather than sorting the scope's rows first.
            at = [COUNTED_IN_ORDER.index(GROUPED_BY[name]) for name in narrow]
            keys = COUNTED_IN_ORDER[: max(at) + 1]
            rows = self._rows(kept=wide_filters).values(*keys).annotate(n=Count("pk"))
            # The groups do not depend on the filters of few values: kept once for every
            # combination of them (the static unfiltered page's request fills it after a purge).
            groups = self._cached(
                ("groups", *keys),
                lambda: list(rows.values_list(*keys, "n")),
                names=[*wide_filters, SEARCH_FIELD],
            )
            chosen = [
                (i, self.values[name]) for i, name in enumerate(narrow) if name in self.values
            ]
            for *group, n in groups:
                missed = [i for i, value in chosen if group[at[i]] != value]
                if not missed:
                    total += n
                    for i, name in enumerate(narrow):
                        counts[name][group[at[i]]] += n
                elif len(missed) == 1:
                    counts[narrow[missed[0]]][group[at[missed[0]]]] += n
        else:
            total = self._rows().count()
        for name in self.facet_names:
            if name in narrow:
                continue
            key = GROUPED_BY[name]
            rows = self._rows(without=name).filter(**{f"{key}__isnull": False})
            grouped = rows.values(key).annotate(n=Count("pk")).values_list(key, "n")
            counts[name].update(dict(grouped))
        return {"total": total, **{name: dict(found) for name, found in counts.items()}}

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
        else:  # COLUMN: sub-columns in tree order
            labels = [(page.pk, page.title) for page in self.columns.values()]
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
