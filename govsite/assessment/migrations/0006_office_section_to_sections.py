"""综合科 moves from 栏目更新设置's 考核科室 to 科室's “负责网站建设和管理（综合科）” (第五条):
the section the setting named is marked, unless a section is marked already. Reversed, the
marked section becomes the setting again."""

from django.db import migrations


def forward(apps, schema_editor):
    FreshnessSettings = apps.get_model("assessment", "FreshnessSettings")
    Section = apps.get_model("sections", "Section")
    if Section.objects.filter(runs_website=True).exists():
        return
    chosen = (
        FreshnessSettings.objects.filter(office_section__isnull=False)
        .values_list("office_section", flat=True)
        .first()
    )
    if chosen is not None:
        Section.objects.filter(pk=chosen).update(runs_website=True)


def backward(apps, schema_editor):
    FreshnessSettings = apps.get_model("assessment", "FreshnessSettings")
    Section = apps.get_model("sections", "Section")
    marked = Section.objects.filter(runs_website=True).values_list("pk", flat=True).first()
    FreshnessSettings.objects.update(office_section=marked)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0005_page_publications_index"),
        ("sections", "0002_site_owner_section"),
    ]

    operations = [migrations.RunPython(forward, backward)]
