"""The segmenting backend on SQLite (FTS5); see ``govsite.search.backend``."""

from modelsearch.backends.database.sqlite import sqlite
from modelsearch.utils import get_content_type_pk

from ..segment import current_segmenter
from . import RebuilderMixin, SegmentingBackendMixin, SegmentingIndexerMixin


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


class SQLiteRebuilder(RebuilderMixin, sqlite.SQLiteSearchRebuilder):
    pass


class SQLiteAtomicRebuilder(RebuilderMixin, sqlite.SQLiteSearchAtomicRebuilder):
    pass


class SQLiteSearchBackend(SegmentingBackendMixin, sqlite.SQLiteSearchBackend):
    index_class = SQLiteIndex
    rebuilder_class = SQLiteRebuilder
    atomic_rebuilder_class = SQLiteAtomicRebuilder
