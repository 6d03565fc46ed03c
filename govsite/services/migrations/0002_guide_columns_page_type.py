"""The 业务指南 sub-columns (业务工作流程, 业务工作标准) built before this app become
GuideColumnPage, as site_tree.toml now names them (R-SERVICE-1)."""

import importlib

from django.db import migrations

columns_0003 = importlib.import_module(
    "govsite.columns.migrations.0003_supervisionphonepage_sitesettings_supervision_hours_and_more"
)

GUIDE_COLUMNS = ("ywgzlc", "ywgzbz")


def guide_column_pages(apps, schema_editor):
    for slug in GUIDE_COLUMNS:
        columns_0003.specialise_sub_column(apps, slug, "services", "guidecolumnpage")


def plain_guide_columns(apps, schema_editor):
    columns_0003.generalise_sub_columns(apps, "services", "guidecolumnpage")


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(guide_column_pages, plain_guide_columns)]
