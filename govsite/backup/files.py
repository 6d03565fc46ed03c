"""Stored files in an archive, read and written through Django's storage API only, so that a
backup of an S3-compatible storage works as one of the local file system does."""

import posixpath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages

from govsite.backup import rules
from govsite.backup.archive import BackupError


def backed_up_aliases():
    """The backed-up storages this configuration has (``rules.BACKED_UP_STORAGES``)."""
    return [alias for alias in rules.BACKED_UP_STORAGES if alias in settings.STORAGES]


def walk(storage, path=""):
    """Every file name in ``storage`` below ``path``, recursively, in a stable order."""
    try:
        directories, names = storage.listdir(path)
    except FileNotFoundError:
        return  # a storage nothing was ever saved to
    for name in sorted(names):
        yield posixpath.join(path, name) if path else name
    for directory in sorted(directories):
        yield from walk(storage, posixpath.join(path, directory) if path else directory)


def existing(alias, names):
    """Those of ``names`` that are already in the storage ``alias``."""
    storage = storages[alias]
    return [name for name in names if storage.exists(name)]


def put(alias, name, content, size, replace=False):
    """Store ``content`` (a file object) under exactly ``name`` in the storage ``alias``.

    A storage renames a file rather than overwrite one; with ``replace`` the file already there
    is deleted first, and a storage that still chooses another name stops the restore (the
    database would point at the wrong file)."""
    storage = storages[alias]
    if replace and storage.exists(name):
        storage.delete(name)
    django_file = File(content, name=posixpath.basename(name))
    django_file.size = size
    saved = storage.save(name, django_file)
    if saved != name:
        raise BackupError(
            f"存储“{alias}”把 {name} 另存为 {saved}（同名文件已存在？）；恢复已停止，数据库未改动。"
        )
