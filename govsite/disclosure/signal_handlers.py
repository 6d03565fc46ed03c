"""政务公开's part of ``bootstrap_site`` (R-TREE-1): the 公文栏目 get the 政务公开目录 category of
data/columns.toml. The tree sends ``site_bootstrapped`` without knowing who listens (columns sits
below disclosure), so ``manage.py bootstrap_site``, the demo data and the test database's
template all apply the same categories, idempotently.

静态发布: a renamed or deleted 主题分类 or 体裁 is shown by name on every document's page and in
the catalogue's filters, so its change purges the published files (``shown_data``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from govsite.columns.signals import site_bootstrapped
from govsite.publishing.signal_handlers import on_site_wide_change

from . import listing_index
from .columns import apply_column_categories
from .models import DocumentPage, Genre, TopicCategory

for model in (TopicCategory, Genre):
    handler = on_site_wide_change("shown_data")
    uid = f"disclosure_{model._meta.model_name}_shown"
    post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}_save")
    post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}_delete")


@receiver(site_bootstrapped, dispatch_uid="govsite.disclosure.column_categories")
def column_categories(sender, report, **kwargs):
    for line in apply_column_categories():
        report.add(line)


# The listing index (issue 16 item 6): kept equal to the documents' rows.
post_save.connect(
    listing_index.on_document_saved,
    sender=DocumentPage,
    dispatch_uid="disclosure_listing_index_saved",
)
page_published.connect(
    listing_index.on_page_published_or_unpublished,
    dispatch_uid="disclosure_listing_index_published",
)
page_unpublished.connect(
    listing_index.on_page_published_or_unpublished,
    dispatch_uid="disclosure_listing_index_unpublished",
)
post_page_move.connect(listing_index.on_page_moved, dispatch_uid="disclosure_listing_index_moved")
