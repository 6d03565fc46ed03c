"""Wagtail's database search backend with Chinese segmentation (SPEC §11 "Chinese full-text
search").

Selected in settings as ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND":
"govsite.search.backend"}}``. Like Wagtail's own ``wagtail.search.backends.database`` it picks the
SQLite (FTS5) or PostgreSQL implementation by the database in use, and changes exactly two
things in either:

- **indexing**: every text value is segmented and stored as its words joined by spaces
  (``Segmenter.index_text``), so the databases' own tokenisers (FTS5 ``unicode61``, PostgreSQL's
  ``simple`` configuration) see one token per word;
- **querying**: every query is segmented the same way (``Segmenter.query_tokens``) and searched
  as an AND of its words; phrases become the same AND, as word order across search-mode
  sub-words carries no meaning.

Everything that searches through Wagtail — the admin's page search and choosers, snippets,
images, documents — therefore works on Chinese text. A full rebuild (``manage.py update_index``)
records the dictionary version it was built with, which clears the "index stale" mark a
dictionary change sets (``govsite.search.reindex``).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
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
