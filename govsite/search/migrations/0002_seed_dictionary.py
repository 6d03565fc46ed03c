"""The starting search dictionary (data/dictionary.txt).

An empty search index is consistent with any dictionary: it is marked as built. An existing one
(an installation upgrading to segmented search) was written unsegmented and stays stale until
``update_index`` or the scheduler rebuilds it (docs/search.md).
"""

from django.db import migrations

from govsite.search.seed import seed
from govsite.search.segment import starter_words


def forwards(apps, schema_editor):
    version_model = apps.get_model("search", "DictionaryVersion")
    seed(apps.get_model("search", "SearchWord"), version_model)
    if not apps.get_model("wagtailsearch", "IndexEntry").objects.exists():
        version = version_model.objects.get(pk=1)
        version.indexed_stamp = version.stamp
        version.save()


def backwards(apps, schema_editor):
    apps.get_model("search", "SearchWord").objects.filter(
        word__in=[word for word, _ in starter_words()]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial"), ("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(forwards, backwards)]
