"""The dictionary every installation starts with (data/dictionary.txt). Loaded by migration 0002
and again by ``bootstrap_site`` (which restores what is missing, e.g. after a test flushed the
database); never overwrites what the office has changed."""

from .segment import starter_words

# 综合科 maintains the dictionary (SPEC §11); entries are disabled rather than deleted.
SITE_MANAGER_PERMISSIONS = ["add_searchword", "change_searchword", "view_searchword"]


def seed(word_model, version_model):
    """Create what is missing; return how many words were created."""
    created = 0
    for word, note in starter_words():
        _, new = word_model.objects.get_or_create(word=word, defaults={"note": note})
        created += new
    version_model.objects.get_or_create(pk=1)
    return created
