"""The render cache of the public pages (issue 13): what every public page shows besides its
own content — the navigation, the columns' sidebars, the site settings — is read from the
database once per version of the published site, not once per request.

The version is the publishing purge's: the time of the latest purge of the published tree
(静态发布, ``govsite.publishing.store.purged_at``), which everything that makes a published
file stale moves — publishing, unpublishing, moving or deleting a page, a new slug, the site
settings, a section, a site, a view restriction, an image or a document (``publishing.rules
.stale_after``). So the cache is invalidated exactly when the static files are, in every
process and on every server that shares the published tree. The publishing app registers its
marker here when it starts (``version_from``): this app sits below it and cannot import it.
Without a registered source nothing is cached.

A change also counts at once in the process that makes it (``changed``), before its
transaction commits: that process's own later renders in the same transaction see it too.

The values live in Django's cache (each process's memory, or the Redis that every server
shares) under keys that carry the version.
"""

import itertools

from django.core.cache import cache

# Entries of superseded versions are never read again; they expire or are culled.
TIMEOUT = 24 * 60 * 60
KEY_PREFIX = "public-render"

_source = None
_changes = itertools.count(1)
_local_change = 0


def version_from(source):
    """Take the version from ``source()`` (a value that changes on every purge)."""
    global _source
    _source = source


def changed():
    """A change to what public pages show was made in this process (its purge follows when
    the transaction commits): this process stops using what it has cached at once."""
    global _local_change
    _local_change = next(_changes)


def version():
    """The current version, or None when nothing may be cached."""
    if _source is None:
        return None
    return f"{_source()}.{_local_change}"


def cached(name, build, *parts):
    """``build()``, kept under ``name`` and ``parts`` until the next version."""
    current = version()
    if current is None:
        return build()
    key = ":".join([KEY_PREFIX, name, *map(str, parts), current])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
