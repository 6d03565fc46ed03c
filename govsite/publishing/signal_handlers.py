"""Purging the published tree when what it shows changes (rule: ``rules.stale_after``).

Every change is purged once its transaction commits (``transaction.on_commit``): before that a
visitor would only render the old version again. The changes of one transaction are gathered
into one purge, so deleting a column with its hundreds of articles removes files once and
renders the homepage once. A purge is always safe to repeat: at worst a page is rendered again.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from govsite.columns import render_cache
from govsite.columns.models import SiteSettings
from govsite.sections.models import Section

from . import rules, store
from .render import render_quietly

logger = logging.getLogger("govsite.publishing")

# At most this many published pages of one transaction are rendered at once (the homepage
# always is); beyond it — a bulk import, the demo data — their first visitors render them.
RENDER_AT_ONCE = 20
# Saves of an image or document that change nothing a visitor sees (Wagtail fills these in
# lazily, e.g. when the admin first lists the file).
BOOKKEEPING_FIELDS = {"file_size", "file_hash"}
# Changes for which a new record already changes what visitors see; a new section, image or
# document, or the settings' first creation, shows nowhere yet.
CREATION_MATTERS = {"site", "restriction"}


class Pending:
    """The purge of one transaction, carried out once by the first of its callbacks to run."""

    def __init__(self):
        self.stale = rules.Stale()
        self.done = False

    def carry_out(self):
        if self.done:
            return
        self.done = True
        stale = self.stale
        store.purge(stale.urls, everything=stale.everything)
        self._render_again(stale.render)

    def _render_again(self, page_ids):
        """The published pages and the homepage, so that their first visitor gets a file."""
        paths = []
        pages = Page.objects.live().public().filter(pk__in=page_ids).order_by("path")
        for page in pages.specific()[:RENDER_AT_ONCE]:
            if rules.is_published_type(page):
                paths.append(rules.public_path(page.url_path))
        for path in ["/", *paths]:
            if path is not None:
                render_quietly(path)


class Callback:
    """One ``on_commit`` callback per change (so that Django's test helper
    ``captureOnCommitCallbacks`` sees each), all sharing the transaction's ``Pending``."""

    def __init__(self, pending):
        self.pending = pending

    def __call__(self):
        self.pending.carry_out()


def _pending_of_this_transaction(connection):
    """The ``Pending`` a callback of the current transaction already carries, if any; one of
    a rolled-back transaction (its callbacks were dropped) or already carried out is not."""
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, Callback) and not callback.pending.done:
            return callback.pending
    return None


def purge_on_commit(stale):
    """Purge ``stale`` when the current transaction commits (at once outside a transaction).
    This process's render cache stops serving what it kept at once (``render_cache``)."""
    render_cache.changed()
    connection = transaction.get_connection()
    pending = None
    if connection.in_atomic_block:
        pending = _pending_of_this_transaction(connection)
    if pending is None:
        pending = Pending()
    pending.stale.merge(stale)
    transaction.on_commit(Callback(pending), robust=True)


def _already_everything():
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    pending = _pending_of_this_transaction(connection)
    return pending is not None and pending.stale.everything


def on_page_published(sender, instance, **kwargs):
    purge_on_commit(rules.stale_after("published", instance))


def on_page_unpublished(sender, instance, **kwargs):
    purge_on_commit(rules.stale_after("unpublished", instance))


def on_page_moved(sender, instance, parent_page_before, url_path_before, **kwargs):
    purge_on_commit(
        rules.stale_after(
            "moved",
            instance,
            url_path_before=url_path_before,
            parent_before=parent_page_before,
        )
    )


def on_page_deleted(sender, instance, **kwargs):
    # Sent for the page and, through the cascade, for every page beneath it (and again for
    # each of their specific models): once everything is to go, nothing more need be worked out.
    if not isinstance(instance, Page) or _already_everything():
        return
    purge_on_commit(rules.stale_after("deleted", instance))


def on_slug_changed(sender, instance, **kwargs):
    purge_on_commit(rules.stale_after("slug_changed", instance))


def on_site_wide_change(change):
    def handler(sender, instance, created=False, update_fields=None, **kwargs):
        if created and change not in CREATION_MATTERS:
            return
        if change == "media" and update_fields and set(update_fields) <= BOOKKEEPING_FIELDS:
            return
        purge_on_commit(rules.stale_after(change))

    handler.__name__ = f"on_{change}_change"
    return handler


SITE_WIDE = [
    (SiteSettings, "settings"),
    (Section, "section"),
    (Site, "site"),
    (PageViewRestriction, "restriction"),
]


def register():
    page_published.connect(on_page_published, dispatch_uid="publishing_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="publishing_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="publishing_moved")
    page_slug_changed.connect(on_slug_changed, dispatch_uid="publishing_slug")
    pre_delete.connect(on_page_deleted, dispatch_uid="publishing_deleted")
    models = [*SITE_WIDE, (get_image_model(), "media"), (get_document_model(), "media")]
    for model, change in models:
        handler = on_site_wide_change(change)
        uid = f"publishing_{model._meta.label_lower}"
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}_save")
        post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}_delete")
