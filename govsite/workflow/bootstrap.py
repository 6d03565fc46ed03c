"""The review workflow as data, created once (R-TREE-1 style: idempotent)."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    Page,
    Workflow,
    WorkflowContentType,
    WorkflowMixin,
    WorkflowPage,
    WorkflowTask,
)

from .models import ChiefReviewTask, DirectorReviewTask, MediaSignOffTask, ScreeningTask

REVIEW_WORKFLOW = "内容审核流程"
STEPS = [
    (ScreeningTask, "自动审查"),
    (MediaSignOffTask, "信息中心审核"),
    (ChiefReviewTask, "科长审核"),
    (DirectorReviewTask, "主管主任审核"),
]


def reviewed_models():
    """Every model under review that is not a page (a survey): whatever has a workflow."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, WorkflowMixin) and not issubclass(model, Page)
    ]


def ensure_review_workflow(report=None):
    """Create the workflow of 第十四条 and attach it to the root of the tree and to every other
    model under review (once)."""
    workflow, created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW)
    if created:
        for order, (model, name) in enumerate(STEPS):
            task = model.objects.filter(name=name).first() or model.objects.create(name=name)
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        if report is not None:
            report.add(f"审核流程「{REVIEW_WORKFLOW}」")
    root = Page.get_first_root_node()
    if not WorkflowPage.objects.filter(page=root).exists():
        WorkflowPage.objects.create(page=root, workflow=workflow)
    for model in reviewed_models():
        WorkflowContentType.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(model), defaults={"workflow": workflow}
        )
    return workflow
