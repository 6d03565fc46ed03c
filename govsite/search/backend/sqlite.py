"""The segmenting backend on SQLite (FTS5); see ``govsite.search.backend``."""

from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from ..segment import current_segmenter
from . import (
    RankedResultsMixin,
    Ranking,
    RebuilderMixin,
    SegmentingBackendMixin,
    SegmentingIndexerMixin,
)


class SQLiteIndexer(SegmentingIndexerMixin, sqlite.ObjectIndexer):
    pass


class SQLiteIndex(sqlite.SQLiteIndex):
    def add_items(self, model, objs):
        # modelsearch 1.3.2's SQLiteIndex.add_items with the segmenting indexer.
        if not model.get_search_fields():
            return
        segmenter = current_segmenter()
        indexers = [SQLiteIndexer(obj, self.backend, segmenter) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        data = {
            indexer.id: (indexer.title, indexer.autocomplete, indexer.body) for indexer in indexers
        }
        entries = self.entries.filter(content_type_id=content_type_pk)
        indexed = frozenset(
            entries.filter(object_id__in=data.keys()).values_list("object_id", flat=True)
        )
        for object_id in indexed:
            title, autocomplete, body = data[object_id]
            entries.filter(object_id=object_id).update(
                title=title, autocomplete=autocomplete, body=body
            )
        self.entries.bulk_create(
            [
                sqlite.IndexEntry(
                    content_type_id=content_type_pk,
                    object_id=object_id,
                    title=title,
                    autocomplete=autocomplete,
                    body=body,
                )
                for object_id, (title, autocomplete, body) in data.items()
                if object_id not in indexed
            ]
        )
        self._refresh_title_norms()


class RankingCompilerMixin:
    def ranking(self, config):
        """The FTS5 rows matching the query, scored as Wagtail scores them (``bm25()``, title
        weighted by ``title_norm``; lower is better), for ``RankedResultsMixin``."""
        if not self.order_by_relevance:
            return None
        query = normalize(self.query)
        if isinstance(query, (MatchAll, Not)):
            return None
        # As modelsearch 1.3.2's SQLiteSearchQueryCompiler.search builds its index query.
        match = MatchExpression(
            self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config)
        )
        content_types = get_descendants_content_types_pks(self.queryset.model)
        entries = (
            sqlite.SQLiteFTSIndexEntry.objects.filter(match)
            .filter(index_entry__content_type__in=content_types)
            .annotate(score=self._build_rank_expression(self.get_search_vectors(), config))
        )
        return Ranking(entries, "index_entry__object_id", "score")


class SQLiteSearchQueryCompiler(RankingCompilerMixin, sqlite.SQLiteSearchQueryCompiler):
    pass


class SQLiteAutocompleteQueryCompiler(RankingCompilerMixin, sqlite.SQLiteAutocompleteQueryCompiler):
    pass


class SQLiteSearchResults(RankedResultsMixin, sqlite.SQLiteSearchResults):
    pass


class SQLiteRebuilder(RebuilderMixin, sqlite.SQLiteSearchRebuilder):
    pass


class SQLiteAtomicRebuilder(RebuilderMixin, sqlite.SQLiteSearchAtomicRebuilder):
    pass


class SQLiteSearchBackend(SegmentingBackendMixin, sqlite.SQLiteSearchBackend):
    query_compiler_class = SQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = SQLiteAutocompleteQueryCompiler
    results_class = SQLiteSearchResults
    index_class = SQLiteIndex
    rebuilder_class = SQLiteRebuilder
    atomic_rebuilder_class = SQLiteAtomicRebuilder
