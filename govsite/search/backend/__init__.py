"""Wagtail's database search backend with Chinese segmentation (SPEC §11 "Chinese full-text
search").

Selected in settings as ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND":
"govsite.search.backend"}}``. Like Wagtail's own ``wagtail.search.backends.database`` it picks the
SQLite (FTS5) or PostgreSQL implementation by the database in use, and changes exactly two
things in either (and one more, below):

- **indexing**: every text value is segmented and stored as its words joined by spaces
  (``Segmenter.index_text``), so the databases' own tokenisers (FTS5 ``unicode61``, PostgreSQL's
  ``simple`` configuration) see one token per word;
- **querying**: every query is segmented the same way (``Segmenter.query_tokens``) and searched
  as an AND of its words; phrases become the same AND, as word order across search-mode
  sub-words carries no meaning.

and, third, **ranking**: ordered by relevance, results are ranked and paged in one statement
from the index side (``RankedResultsMixin``) rather than through Wagtail's per-candidate score
sub-query, so the admin's page search stays fast at 100,000 pages.

Everything that searches through Wagtail — the admin's page search and choosers, snippets,
images, documents — therefore works on Chinese text. A full rebuild (``manage.py update_index``)
records the dictionary version it was built with, which clears the "index stale" mark a
dictionary change sets (``govsite.search.reindex``).
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils.encoding import force_str
from modelsearch.backends.base import EmptySearchResults
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText

from ..segment import current_segmenter


def raw_text(value):
    """A field's value as one string, the way Wagtail's indexers flatten it."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(raw_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(raw_text(item) for item in value.values())
    return force_str(value)


class SegmentingIndexerMixin:
    """An ``ObjectIndexer`` (either database's) whose every text value is stored as its words
    joined by spaces, each field segmented once."""

    def __init__(self, obj, backend, segmenter):
        super().__init__(obj, backend)
        self.segmenter = segmenter
        self._prepared_fields = {}

    def prepare_value(self, value):
        return self.segmenter.index_text(raw_text(value))

    def prepare_field(self, obj, field):
        # The title, body and autocomplete properties each walk every field: segment once.
        if obj is not self.obj:
            return super().prepare_field(obj, field)
        if id(field) not in self._prepared_fields:
            self._prepared_fields[id(field)] = list(super().prepare_field(obj, field))
        return iter(self._prepared_fields[id(field)])


def segmented_query(query, segmenter):
    """``query`` (a string or a Wagtail query object) with every text replaced by its words."""
    if isinstance(query, str):
        return " ".join(segmenter.query_tokens(query))
    if isinstance(query, (PlainText, Phrase)):
        words = " ".join(segmenter.query_tokens(query.query_string))
        operator, boost = getattr(query, "operator", "and"), getattr(query, "boost", 1.0)
        return PlainText(words, operator=operator, boost=boost)
    if isinstance(query, Fuzzy):
        words = " ".join(segmenter.query_tokens(query.query_string))
        return Fuzzy(words, operator=query.operator, unaccent=query.unaccent)
    if isinstance(query, (And, Or)):
        return type(query)([segmented_query(sub, segmenter) for sub in query.subqueries])
    if isinstance(query, Not):
        return Not(segmented_query(query.subquery, segmenter))
    if isinstance(query, Boost):
        return Boost(segmented_query(query.subquery, segmenter), query.boost)
    return query


def _is_empty(query):
    if isinstance(query, str):
        return not query
    if isinstance(query, (PlainText, Fuzzy)):
        return not query.query_string
    return False


class SegmentingBackendMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if not isinstance(query, MatchAll):
            query = segmented_query(query, current_segmenter())
            if _is_empty(query):
                return EmptySearchResults()
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


@dataclass
class Ranking:
    """How a compiler ranks a query from the index side: the index rows that match it (only of
    the searched model and its subclasses), each annotated with ``score``."""

    entries: QuerySet
    object_id: str  # the lookup of the object's id (text) on ``entries``
    order: str  # "score" or "-score": best first


def _concrete_pk(model):
    field = model._meta.pk
    while field.is_relation:  # a multi-table subclass: its pk is its parent's
        field = field.target_field
    return field


class RankedResultsMixin:
    """Results ordered by relevance, ranked and paged in one statement.

    Wagtail's database backends rank by annotating each candidate object with a correlated
    sub-query (on SQLite an FTS ``MATCH`` and ``bm25()`` per candidate): over 100,000 pages the
    admin's page search took most of a second. Here the index rows that match are scored once
    each, kept to the searched queryset's objects (``object_id IN (its pks)``, so permission
    filters and the like still apply), ordered by score and sliced in one statement; the page
    of objects is then fetched by pk. Counting is one statement too. Anything the compiler
    cannot rank this way (no relevance order, match-all, negations, fuzzy, ``fields=``) goes
    through Wagtail's own code.
    """

    def _ranking(self):
        return self.query_compiler.ranking(self.query_compiler.get_config(self.backend))

    def _entries(self, ranking):
        queryset = self.query_compiler.queryset
        pk_field = _concrete_pk(queryset.model)
        matched = ranking.entries.values(_search_pk=Cast(ranking.object_id, output_field=pk_field))
        # The queryset's pks among the matches only: the database reads the (few) matching
        # objects by pk and tests the queryset's conditions on them, instead of listing every
        # object the queryset allows (a site manager's explorable pages: nearly all of them).
        ids = (
            queryset.order_by()
            .filter(pk__in=matched)
            .values(_search_id=Cast("pk", output_field=CharField()))
        )
        return ranking.entries.filter(**{f"{ranking.object_id}__in": ids})

    def _do_search(self):
        ranking = self._ranking()
        if ranking is None:
            return super()._do_search()
        queryset = self.query_compiler.queryset
        pk_field = _concrete_pk(queryset.model)
        newest = Cast(ranking.object_id, output_field=pk_field).desc()  # Wagtail's "-pk"
        rows = list(
            self._entries(ranking)
            .order_by(ranking.order, newest)
            .values_list(ranking.object_id, "score")[self.start : self.stop]
        )
        if not rows:
            return []
        scores = {pk_field.to_python(object_id): score for object_id, score in rows}
        found = {obj.pk: obj for obj in queryset.filter(pk__in=list(scores))}
        results = []
        for pk, score in scores.items():
            obj = found.get(pk)
            if obj is None:  # deleted since
                continue
            if self._score_field is not None:
                setattr(obj, self._score_field, score)
            results.append(obj)
        return results

    def _do_count(self):
        ranking = self._ranking()
        if ranking is None:
            return super()._do_count()
        return self._entries(ranking).count()


class RebuilderMixin:
    """A full rebuild records the dictionary version it segmented with."""

    def start(self):
        from ..models import DictionaryVersion

        self.dictionary_stamp = DictionaryVersion.state().stamp
        return super().start()

    def finish(self):
        from ..models import DictionaryVersion

        super().finish()
        DictionaryVersion.mark_indexed(self.dictionary_stamp)


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    """The segmenting backend for the database in use (as ``wagtail.search.backends.database``)."""
    # Each implementation imports modules that only load on their own database.
    if connection.vendor == "postgresql":
        from .postgres import PostgresSearchBackend

        return PostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

        if fts5_available() and fts_table_exists():
            from .sqlite import SQLiteSearchBackend

            return SQLiteSearchBackend(params)
    raise ImproperlyConfigured(
        "govsite.search.backend needs PostgreSQL or SQLite with FTS5 "
        f"(database in use: {connection.vendor})."
    )
