"""The segmenting backend on PostgreSQL; see ``govsite.search.backend``."""

from modelsearch.backends.database.postgres import postgres
from modelsearch.utils import get_content_type_pk

from ..segment import current_segmenter
from . import RebuilderMixin, SegmentingBackendMixin, SegmentingIndexerMixin


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


class PostgresRebuilder(RebuilderMixin, postgres.PostgresSearchRebuilder):
    pass


class PostgresAtomicRebuilder(RebuilderMixin, postgres.PostgresSearchAtomicRebuilder):
    pass


class PostgresSearchBackend(SegmentingBackendMixin, postgres.PostgresSearchBackend):
    index_class = PostgresIndex
    rebuilder_class = PostgresRebuilder
    atomic_rebuilder_class = PostgresAtomicRebuilder

    def __init__(self, params):
        # Words are already segmented and normalised: no stemming, no English stop-words.
        super().__init__({"SEARCH_CONFIG": "simple", **params})
