"""R-FLOW-1 in the editor: when the automatic screening returns a submission, the officer is
told so at once, with every finding, instead of Wagtail's "submitted" message."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.models import TaskState, WorkflowState

SUBMITTING = ("action-submit", "action-restart-workflow", "action-workflow-action")


def returned_by_screening(page):
    """The screening state that has just returned ``page``, if that is where it stands."""
    from govsite.workflow.models import ScreeningTask

    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_REJECTED:
        return None
    return task_state.specific if isinstance(task_state.task.specific, ScreeningTask) else None


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def report_screening_findings(request, page):
    if not any(request.POST.get(action) for action in SUBMITTING):
        return None
    screening = returned_by_screening(page)
    if screening is None:
        return None
    for _ in messages.get_messages(request):
        pass  # drop Wagtail's "submitted for review" message: it was not.
    lines = [line for line in screening.comment.splitlines()[1:] if line]
    messages.error(
        request,
        format_html(
            "自动审查未通过，已退回，未送科长审核。请修改后重新提交：{}",
            format_html_join("", "<br>{}", ((line,) for line in lines)),
        ),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
