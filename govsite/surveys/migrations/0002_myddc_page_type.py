"""An existing 服务满意度调查 sub-column (built before this app) becomes a SurveyColumnPage."""

import importlib

from django.db import migrations

columns_0003 = importlib.import_module(
    "govsite.columns.migrations.0003_supervisionphonepage_sitesettings_supervision_hours_and_more"
)


def survey_column_page(apps, schema_editor):
    columns_0003.specialise_sub_column(apps, "myddc", "surveys", "surveycolumnpage")


def plain_survey_column(apps, schema_editor):
    columns_0003.generalise_sub_columns(apps, "surveys", "surveycolumnpage")


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(survey_column_page, plain_survey_column)]
