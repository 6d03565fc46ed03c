from django.contrib.auth.models import Group, Permission
from django.db.backends.signals import connection_created
from django.dispatch import receiver

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
