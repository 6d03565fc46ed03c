"""Surveys go through the review chain (第十四条; R-SURVEY-1) in databases built before it:

- the review workflow (内容审核流程) is assigned to surveys, as ``ensure_review_workflow`` does
  for a new database;
- 综合科-网站管理 loses the surveys' model permissions (it keeps their settings): who builds and
  reads surveys now follows the owner of the 服务满意度调查 column (govsite.surveys.rules);
- surveys already on the site stay published, first published when they were created.
"""

from django.db import migrations
from django.db.models import F

REVIEW_WORKFLOW = "内容审核流程"
SITE_MANAGERS = "综合科-网站管理"
SURVEY_PERMISSIONS = ["add_survey", "change_survey", "view_survey"]


def survey_content_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="surveys", model="survey")[0]


def review_surveys(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Survey = apps.get_model("surveys", "Survey")

    content_type = survey_content_type(apps)
    workflow = Workflow.objects.filter(name=REVIEW_WORKFLOW).first()
    if workflow is not None:
        WorkflowContentType.objects.get_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )
    permissions = Permission.objects.filter(
        content_type=content_type, codename__in=SURVEY_PERMISSIONS
    )
    for group in Group.objects.filter(name=SITE_MANAGERS):
        group.permissions.remove(*permissions)
    Survey.objects.filter(live=True, first_published_at__isnull=True).update(
        first_published_at=F("created_at"), last_published_at=F("updated_at")
    )


def back_to_model_permissions(apps, schema_editor):
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    content_type = survey_content_type(apps)
    WorkflowContentType.objects.filter(content_type=content_type).delete()
    permissions = Permission.objects.filter(
        content_type=content_type, codename__in=SURVEY_PERMISSIONS
    )
    for group in Group.objects.filter(name=SITE_MANAGERS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_survey_review"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(review_surveys, back_to_model_permissions)]
