"""Re-indexing after the dictionary changed (SPEC §11 "Chinese full-text search").

Pages indexed before a word was added were segmented without it: the word as one term is not in
their index entries until they are indexed again. A dictionary change therefore marks the index
stale (``DictionaryVersion``); the scheduler (``tasks.reindex_when_due``) re-indexes everything
once the dictionary has been left alone for ``reindex_quiet_minutes`` (so that a session of
edits costs one rebuild), 综合科 may start it at once from the dictionary's page (立即重建索引),
and ``manage.py update_index`` run by hand clears the mark just the same.
"""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from modelsearch.backends import get_search_backend
from modelsearch.conf import get_app_config
from modelsearch.index import get_indexed_models
from wagtail.search.management.commands.update_index import Command as UpdateIndex

from .conf import SEARCH
from .models import DictionaryVersion


def reindex_due(now=None):
    version = DictionaryVersion.state()
    quiet = timedelta(minutes=SEARCH["reindex_quiet_minutes"])
    return version.index_stale and version.changed_at <= (now or timezone.now()) - quiet


class CountingUpdateIndex(UpdateIndex):
    """Wagtail's ``update_index``, telling ``progress`` how many objects it has indexed so far
    (once per chunk of a thousand)."""

    def __init__(self, progress):
        super().__init__(stdout=StringIO(), stderr=StringIO())
        self.progress = progress
        self.indexed = 0

    def queryset_chunks(self, qs, chunk_size=1000):
        for chunk in super().queryset_chunks(qs, chunk_size):
            yield chunk  # indexed when the command asks for the next one
            self.indexed += len(chunk)
            self.progress(self.indexed)


def objects_to_index():
    """How many objects a full rebuild indexes (what ``CountingUpdateIndex`` counts up to)."""
    backends = [
        name
        for name in get_app_config().get_search_backend_config()
        if get_search_backend(name).rebuilder_class
    ]
    per_backend = sum(model.get_indexed_objects().count() for model in get_indexed_models())
    return per_backend * len(backends)


def reindex(progress=None):
    """Rebuild the whole search index (Wagtail's ``update_index``), which records the dictionary
    version it used (``govsite.search.backend.RebuilderMixin``); ``progress(indexed)`` is told
    how far it got. Returns the number of objects indexed."""
    command = CountingUpdateIndex(progress or (lambda indexed: None))
    call_command(command, stdout=StringIO(), stderr=StringIO())
    return command.indexed
