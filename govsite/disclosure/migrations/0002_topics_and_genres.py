"""R-OPEN-1: the 国务院公文主题分类 tree and the 体裁 of data/topics.toml and data/genres.toml."""

import tomllib
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _read(name):
    with open(DATA / name, "rb") as handle:
        return tomllib.load(handle)


def load(apps, schema_editor):
    TopicCategory = apps.get_model("disclosure", "TopicCategory")
    Genre = apps.get_model("disclosure", "Genre")
    for top_order, entry in enumerate(_read("topics.toml")["topics"]):
        top, _ = TopicCategory.objects.get_or_create(
            parent=None, name=entry["name"], defaults={"sort_order": top_order}
        )
        for order, child in enumerate(entry.get("children", [])):
            TopicCategory.objects.get_or_create(
                parent=top, name=child, defaults={"sort_order": order}
            )
    for order, name in enumerate(_read("genres.toml")["genres"]):
        Genre.objects.get_or_create(name=name, defaults={"sort_order": order})


def unload(apps, schema_editor):
    TopicCategory = apps.get_model("disclosure", "TopicCategory")
    Genre = apps.get_model("disclosure", "Genre")
    TopicCategory.objects.filter(parent__isnull=False).delete()
    TopicCategory.objects.all().delete()
    Genre.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
