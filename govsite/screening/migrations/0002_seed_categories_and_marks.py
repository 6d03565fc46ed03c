"""The nine categories of 第十九条 and the starting classification marks, from data/."""

import tomllib
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(name):
    with open(DATA / name, "rb") as handle:
        return tomllib.load(handle)


def seed(apps, schema_editor):
    Category = apps.get_model("screening", "ProhibitedCategory")
    Mark = apps.get_model("screening", "ClassificationMark")
    for item in load("categories.toml")["categories"]:
        Category.objects.update_or_create(
            number=item["number"], defaults={"name": item["name"], "wording": item["wording"]}
        )
    for text in load("classification_marks.toml")["marks"]:
        Mark.objects.get_or_create(text=text)
    apps.get_model("screening", "LexiconVersion").objects.get_or_create(pk=1)


def unseed(apps, schema_editor):
    apps.get_model("screening", "ClassificationMark").objects.filter(
        text__in=load("classification_marks.toml")["marks"]
    ).delete()
    apps.get_model("screening", "ProhibitedCategory").objects.filter(
        number__in=[item["number"] for item in load("categories.toml")["categories"]],
        terms__isnull=True,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
