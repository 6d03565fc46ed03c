from django.contrib.auth.models import Group, Permission
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from modelsearch.tasks import insert_or_update_object_task
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished

from govsite.columns.signals import site_bootstrapped
from govsite.sections import roles

from .conf import SEARCH
from .models import DictionaryVersion, SearchWord
from .seed import SITE_MANAGER_PERMISSIONS, seed


@receiver(site_bootstrapped)
def restore_search_data(sender, report, **kwargs):
    """``bootstrap_site`` also restores the starting dictionary and lets 综合科 maintain it."""
    if seed(SearchWord, DictionaryVersion):
        DictionaryVersion.bump()
        report.add("搜索词典")
    group = Group.objects.filter(name=roles.SITE_MANAGERS).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="search", codename__in=SITE_MANAGER_PERMISSIONS
            )
        )


@receiver(connection_created)
def map_sqlite_file(sender, connection, **kwargs):
    """SQLite: read the database through a memory map (``sqlite_mmap_megabytes``): the search
    joins thousands of index rows to their pages per query, and mapped pages are read without a
    system call each."""
    if connection.vendor == "sqlite" and SEARCH["sqlite_mmap_megabytes"]:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA mmap_size = {int(SEARCH['sqlite_mmap_megabytes']) << 20}")


def indexes_related_rows(model):
    return any(isinstance(field, index.RelatedFields) for field in model.get_search_fields())


@receiver(page_published, dispatch_uid="govsite.search.reindex_published")
@receiver(page_unpublished, dispatch_uid="govsite.search.reindex_unpublished")
def reindex_published_page(sender, instance, **kwargs):
    """A page whose index takes in related rows (a 办事指南's materials) is indexed again once
    published or taken offline: Wagtail indexes a page when the page row is saved, before a
    revision's related rows are, so the entry would otherwise hold the materials of the
    version before."""
    if indexes_related_rows(type(instance)) and getattr(instance, "search_auto_update", True):
        meta = instance._meta
        insert_or_update_object_task.enqueue(meta.app_label, meta.model_name, str(instance.pk))
