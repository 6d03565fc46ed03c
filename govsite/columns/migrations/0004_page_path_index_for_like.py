"""An index that lets SQLite answer Wagtail's tree queries (``path LIKE '0001000B%'``: children,
descendants, ancestors, the explorer's permission filter) from an index instead of a scan of
the page table. SQLite uses an index for a case-insensitive LIKE only when the index compares
without case (``COLLATE NOCASE``); tree paths hold only digits and capital letters, so the
order is the same. PostgreSQL needs nothing: Django gives every unique CharField a
``varchar_pattern_ops`` index there, which serves the same prefix searches."""

from django.db import migrations

INDEX = "govsite_page_path_nocase"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (path COLLATE NOCASE)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("columns", "0003_supervisionphonepage_sitesettings_supervision_hours_and_more"),
    ]

    operations = [migrations.RunPython(create, drop)]
