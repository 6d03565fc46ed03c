"""The listing index filled for the documents that existed before it (issue 16 item 6): the
same rows ``manage.py rebuild_listing_index`` makes, from the historical models, on SQLite and
PostgreSQL alike."""

from django.db import migrations


def fill(apps, schema_editor):
    from govsite.disclosure import listing_index

    listing_index.rebuild(
        apps.get_model("disclosure", "DocumentPage"),
        apps.get_model("wagtailcore", "Page"),
        apps.get_model("disclosure", "ListedDocument"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0006_listing_index"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
