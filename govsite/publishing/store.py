"""The published tree on disk: where a public URL's file lives, writing it, removing it.

The layout is the contract with the nginx configuration (docs/publishing.md):

- ``/a/b/``           → ``<root>/a/b/index.html``  (the homepage ``/`` → ``<root>/index.html``)
- ``/a/?page=N``      → ``<root>/a/page-N.html``   (N ≥ 2; nginx maps ``$arg_page`` to it)
- ``/sitemap.xml``    → ``<root>/sitemap.xml``
- ``/a/b/rss.xml``    → ``<root>/a/b/rss.xml``     (a column's RSS feed, purged with its list;
  ``/rss.xml``, the whole site's 最新信息, with the homepage)

Every purge first touches ``<root>/.purged``. A response whose rendering started before the
latest purge is never left on disk (it may show what the purge removed): the writer checks the
marker before and again after moving its file into place, so a purge that overtakes a slow
render still wins (publish-to-visible, SPEC §12).
"""

import logging
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("govsite.publishing")

MARKER = ".purged"
TEMP_PREFIX = ".tmp-"
# A page's files: itself, its list's further pages and, for a column, its RSS feed (rss.xml).
LIST_FILE = re.compile(r"^((index|page-[1-9][0-9]*)\.html|rss\.xml)$")
SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def root():
    return Path(settings.GOVSITE_PUBLISHED_ROOT)


def _directory(url_path):
    """``<root>/a/b`` for ``/a/b/``; None for a path that cannot be a stored URL."""
    if not url_path.startswith("/") or not url_path.endswith("/"):
        return None
    segments = [s for s in url_path.split("/") if s]
    if not all(SEGMENT.match(s) and s not in (".", "..") for s in segments):
        return None
    return root().joinpath(*segments)


def file_for(url_path, page_number=None):
    """The file that stores ``url_path`` (with ``?page=N`` when ``page_number`` is given)."""
    if not url_path.endswith("/"):
        # A file-like URL (sitemap.xml): stored under its own name, never paged.
        directory = _directory(url_path.rsplit("/", 1)[0] + "/")
        name = url_path.rsplit("/", 1)[1]
        if directory is None or page_number or not SEGMENT.match(name):
            return None
        return directory / name
    directory = _directory(url_path)
    if directory is None:
        return None
    return directory / ("index.html" if page_number is None else f"page-{page_number}.html")


def purged_at():
    """When the tree was last purged (ns since the epoch), 0 if never."""
    try:
        return (root() / MARKER).stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def _touch_marker():
    base = root()
    base.mkdir(parents=True, exist_ok=True)
    marker = base / MARKER
    marker.touch()
    now = time.time_ns()
    os.utime(marker, ns=(now, now))


def write(target, content, started_ns, replace=False):
    """Store ``content`` at ``target`` atomically (temporary file + ``os.replace``).

    Nothing is written when the file is already there (unless ``replace``), or when the tree
    was purged after ``started_ns``, the moment the response began to be rendered. Returns
    whether the file now holds ``content``."""
    if not replace and target.exists():
        return False
    if purged_at() >= started_ns:
        return False
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=TEMP_PREFIX, delete=False) as f:
            temporary = f.name
            f.write(content)
        os.chmod(temporary, 0o644)  # nginx runs as another user
        os.replace(temporary, target)
    except OSError:
        # A purge of the whole tree may remove the directory under us; the next visitor
        # renders the page again.
        logger.warning("静态发布：写入 %s 失败", target, exc_info=True)
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        return False
    if purged_at() >= started_ns:
        target.unlink(missing_ok=True)
        return False
    return True


def remove_url(url_path):
    """Remove every stored form of ``url_path``: a page's index.html, all its page-N.html and
    its rss.xml."""
    if not url_path.endswith("/"):
        target = file_for(url_path)
        if target is not None:
            target.unlink(missing_ok=True)
        return
    directory = _directory(url_path)
    if directory is None:
        return
    try:
        names = os.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in names:
        if LIST_FILE.match(name):
            (directory / name).unlink(missing_ok=True)


def remove_all():
    """Empty the published tree (the marker stays, touched)."""
    base = root()
    if not base.is_dir():
        return
    for entry in os.scandir(base):
        if entry.name == MARKER:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            Path(entry.path).unlink(missing_ok=True)


def purge(url_paths=(), everything=False):
    """Remove the stored files of ``url_paths``, or of every URL; marks the tree as purged."""
    _touch_marker()
    if everything:
        remove_all()
        return
    for url_path in url_paths:
        remove_url(url_path)


def stored_files():
    """Every stored file, relative to the root (for the command's report and the tests)."""
    base = root()
    if not base.is_dir():
        return []
    return sorted(
        path.relative_to(base).as_posix()
        for path in base.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    )
