"""Re-indexing after the dictionary changed (SPEC §11 "Chinese full-text search").

Pages indexed before a word was added were segmented without it: the word as one term is not in
their index entries until they are indexed again. A dictionary change therefore marks the index
stale (``DictionaryVersion``); the scheduler (``tasks.reindex_when_due``) re-indexes everything
once the dictionary has been left alone for ``reindex_quiet_minutes`` (so that a session of
edits costs one rebuild), and ``manage.py update_index`` run by hand clears the mark just the same.
"""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from .conf import SEARCH
from .models import DictionaryVersion


def reindex_due(now=None):
    version = DictionaryVersion.state()
    quiet = timedelta(minutes=SEARCH["reindex_quiet_minutes"])
    return version.index_stale and version.changed_at <= (now or timezone.now()) - quiet


def reindex():
    """Rebuild the whole search index (Wagtail's ``update_index``), which records the dictionary
    version it used (``govsite.search.backend.RebuilderMixin``)."""
    call_command("update_index", stdout=StringIO(), stderr=StringIO())
