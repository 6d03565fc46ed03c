"""The nine categories of 第十九条 and the starting classification marks, from data/."""

from django.db import migrations

from govsite.screening.seed import load, seed


def forwards(apps, schema_editor):
    seed(
        apps.get_model("screening", "ProhibitedCategory"),
        apps.get_model("screening", "ClassificationMark"),
        apps.get_model("screening", "LexiconVersion"),
    )


def backwards(apps, schema_editor):
    apps.get_model("screening", "ClassificationMark").objects.filter(
        text__in=load("classification_marks.toml")["marks"]
    ).delete()
    apps.get_model("screening", "ProhibitedCategory").objects.filter(
        number__in=[item["number"] for item in load("categories.toml")["categories"]],
        terms__isnull=True,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
