"""The segmenting backend on PostgreSQL; see ``govsite.search.backend``."""

from django.db.models import F
from modelsearch.backends.database.postgres import postgres
from modelsearch.query import Fuzzy, MatchAll, Not
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from ..segment import current_segmenter
from . import (
    RankedResultsMixin,
    Ranking,
    RebuilderMixin,
    SegmentingBackendMixin,
    SegmentingIndexerMixin,
)


class PostgresIndexer(SegmentingIndexerMixin, postgres.ObjectIndexer):
    pass


class PostgresIndex(postgres.PostgresIndex):
    def add_items(self, model, objs):
        # modelsearch 1.3.2's PostgresIndex.add_items with the segmenting indexer.
        if not model.get_search_fields():
            return
        segmenter = current_segmenter()
        indexers = [PostgresIndexer(obj, self.backend, segmenter) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        compiler = postgres.InsertQuery(postgres.IndexEntry).get_compiler(
            connection=self.write_connection
        )
        rows, params = [], []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            vectors = []
            for name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(
                    postgres.IndexEntry._meta.get_field(name), getattr(indexer, name)
                )
                sql, value_params = value.as_sql(compiler, self.write_connection)
                vectors.append(sql)
                params.extend(value_params)
            params.extend((indexer.title_text, indexer.body_text))
            rows.append(f"(%s, %s, {vectors[0]}, {vectors[1]}, {vectors[2]}, 1.0, %s, %s)")
        table = postgres.IndexEntry._meta.db_table
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body,"
                " title_norm, title_text, body_text)"
                f" (VALUES {', '.join(rows)})"
                " ON CONFLICT (content_type_id, object_id) DO UPDATE SET"
                " title = EXCLUDED.title, title_norm = 1.0, autocomplete = EXCLUDED.autocomplete,"
                " body = EXCLUDED.body, title_text = EXCLUDED.title_text,"
                " body_text = EXCLUDED.body_text",
                params,
            )
        self._refresh_title_norms()


class RankingCompilerMixin:
    #: The index entry's vectors and their weights, as ``get_index_vectors`` names them from
    #: the searched model's side.
    entry_vectors = (("title", "title_norm"), ("body", 1.0))

    def ranking(self, config):
        """The index rows matching the query, scored as Wagtail scores them (``ts_rank`` of each
        vector, the title weighted by ``title_norm``; higher is better), for
        ``RankedResultsMixin``."""
        query = self.query
        if not self.order_by_relevance or self.fields is not None or isinstance(query, Fuzzy):
            return None
        if isinstance(query, MatchAll) or (
            isinstance(query, Not) and isinstance(query.subquery, MatchAll)
        ):
            return None
        # As modelsearch 1.3.2's PostgresSearchQueryCompiler.search filters and ranks.
        search_query = self.build_tsquery(query, config=config)
        vectors = [
            (F(vector), F(weight) if isinstance(weight, str) else weight)
            for vector, weight in self.entry_vectors
        ]
        combined = vectors[0][0]
        for vector, _weight in vectors[1:]:
            combined = combined._combine(vector, "||", False)
        content_types = get_descendants_content_types_pks(self.queryset.model)
        entries = (
            postgres.IndexEntry.objects.filter(content_type__in=content_types)
            .annotate(_vector_=combined)
            .filter(_vector_=search_query)
            .annotate(score=self._build_rank_expression(vectors, config))
        )
        return Ranking(entries, "object_id", "-score")


class PostgresSearchQueryCompiler(RankingCompilerMixin, postgres.PostgresSearchQueryCompiler):
    pass


class PostgresAutocompleteQueryCompiler(
    RankingCompilerMixin, postgres.PostgresAutocompleteQueryCompiler
):
    entry_vectors = (("autocomplete", 1.0),)


class PostgresSearchResults(RankedResultsMixin, postgres.PostgresSearchResults):
    pass


class PostgresRebuilder(RebuilderMixin, postgres.PostgresSearchRebuilder):
    pass


class PostgresAtomicRebuilder(RebuilderMixin, postgres.PostgresSearchAtomicRebuilder):
    pass


class PostgresSearchBackend(SegmentingBackendMixin, postgres.PostgresSearchBackend):
    query_compiler_class = PostgresSearchQueryCompiler
    autocomplete_query_compiler_class = PostgresAutocompleteQueryCompiler
    results_class = PostgresSearchResults
    index_class = PostgresIndex
    rebuilder_class = PostgresRebuilder
    atomic_rebuilder_class = PostgresAtomicRebuilder

    def __init__(self, params):
        # Words are already segmented and normalised: no stemming, no English stop-words.
        super().__init__({"SEARCH_CONFIG": "simple", **params})
