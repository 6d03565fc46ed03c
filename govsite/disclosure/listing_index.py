"""The listing index (R-OPEN-2, 第十条; issue 16 item 6): ``ListedDocument`` kept equal to the
documents' own rows.

A document is in the index when it is live and at the documents' depth (the sub-columns' children,
R-TREE-1); its row holds its parent (the sub-column), its first publication time and year, and
the metadata the 政务公开目录 and the policy library filter by. View restrictions are not
recorded: the listing leaves them out when it reads (``catalogue.listed_scope``), so a changed
restriction needs nothing here.

Kept equal on every save of a document (which every publication and withdrawal makes), on
``page_published``/``page_unpublished`` of any page, and on a move (the moved page's whole
subtree, whose depth or parent may have changed); a deleted document's row goes with it
(``on_delete=CASCADE``). ``manage.py rebuild_listing_index`` rebuilds it whole; migration 0006
filled it for the documents that existed before.
"""

from django.db import transaction
from django.utils import timezone

from govsite.columns.models import subtree_range

# R-TREE-1: content lives exactly one level below the sub-columns (home 2, column 3, sub-column
# 4).
DOCUMENT_DEPTH = 5
STEP = 4  # Treebeard's path step: a page's parent has its path less the last step.
BATCH = 2000
FIELDS = ("catalogue_category", "topic_id", "genre_id", "publisher", "validity")


def entries(documents, page_model, entry_model):
    """The index rows of the listable ones among ``documents`` (a DocumentPage queryset; the
    models are passed in so the data migration can use its historical ones)."""
    rows = list(
        documents.filter(live=True, depth=DOCUMENT_DEPTH)
        .order_by()
        .values_list("pk", "path", "first_published_at", *FIELDS)
    )
    parents = dict(
        page_model.objects.order_by()
        .filter(path__in={row[1][:-STEP] for row in rows})
        .values_list("path", "pk")
    )
    made = []
    for pk, path, published_at, *values in rows:
        made.append(
            entry_model(
                page_id=pk,
                column_id=parents[path[:-STEP]],
                published_at=published_at,
                year=timezone.localtime(published_at).year if published_at else None,
                **dict(zip(FIELDS, values, strict=True)),
            )
        )
    return made


def refresh(ids, document_model=None, page_model=None, entry_model=None):
    """Make the index rows of the documents ``ids`` equal to the documents' rows."""
    if document_model is None:
        from wagtail.models import Page

        from .models import DocumentPage, ListedDocument

        document_model, page_model, entry_model = DocumentPage, Page, ListedDocument
    ids = list(ids)
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            made = entries(document_model.objects.filter(pk__in=batch), page_model, entry_model)
            entry_model.objects.filter(page_id__in=batch).delete()
            entry_model.objects.bulk_create(made)


def refresh_subtree(page):
    """After ``page`` moved: its documents and itself (a depth or a parent may have changed)."""
    from wagtail.models import Page

    from .models import DocumentPage

    page = Page.objects.get(pk=page.pk)  # the path after the move
    paths = subtree_range(page)
    ids = DocumentPage.objects.filter(path__range=paths).values_list("pk", flat=True)
    refresh([page.pk, *ids])


def rebuild(document_model=None, page_model=None, entry_model=None):
    """The whole index again, from the documents' rows; returns how many rows it holds."""
    if document_model is None:
        from wagtail.models import Page

        from .models import DocumentPage, ListedDocument

        document_model, page_model, entry_model = DocumentPage, Page, ListedDocument
    with transaction.atomic():
        entry_model.objects.all().delete()
        ids = list(document_model.objects.order_by("pk").values_list("pk", flat=True))
        refresh(ids, document_model, page_model, entry_model)
        return entry_model.objects.count()


# Signal receivers (connected in signal_handlers.py) ---------------------------------------------


def on_document_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh([instance.pk])


def on_page_published_or_unpublished(sender, instance, **kwargs):
    from .models import DocumentPage

    if isinstance(instance, DocumentPage) or issubclass(sender, DocumentPage):
        refresh([instance.pk])


def on_page_moved(sender, instance, **kwargs):
    refresh_subtree(instance)
