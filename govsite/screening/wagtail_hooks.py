"""Screening in the admin: the lexicon menu (内容审查), the editor's 预检 button, and R-FLOW-1 on
submit — when the automatic screening returns a submission, the officer is told so at once,
with every finding, instead of Wagtail's "submitted" message."""

from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.models import TaskState, WorkflowState

from . import views

SUBMITTING = ("action-submit", "action-restart-workflow", "action-workflow-action")

hooks.register("register_admin_viewset", views.ScreeningViewSetGroup)


@hooks.register("register_admin_urls")
def precheck_urls():
    return [
        path("screening/precheck/<int:page_id>/", views.precheck, name="screening_precheck"),
        path(
            "screening/precheck/new/<str:app_label>/<str:model_name>/<int:parent_id>/",
            views.precheck,
            name="screening_precheck_new",
        ),
    ]


class PrecheckMenuItem(ActionMenuItem):
    """预检: screen the page as it is in the form, without saving or submitting it."""

    label = "预检（不保存）"
    name = "action-precheck"
    icon_name = "search"
    order = 5
    template_name = "screening/precheck_button.html"

    def is_shown(self, context):
        from govsite.columns.models import ContentPage

        if context["view"] == "create":
            _, model = created_type(context["request"])
            return model in {m._meta.model_name for m in ContentPage.__subclasses__()}
        return context["view"] == "edit" and isinstance(context["page"].specific, ContentPage)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        if parent_context["view"] == "edit":
            context["url"] = reverse("screening_precheck", args=[parent_context["page"].pk])
        else:
            app_label, model = created_type(parent_context["request"])
            context["url"] = reverse(
                "screening_precheck_new",
                args=[app_label, model, parent_context["parent_page"].pk],
            )
        return context


def created_type(request):
    """(app label, model name) of the page the create view makes: Wagtail's own URL, or the
    project's guarded one (govsite.columns.views.guarded_create_page)."""
    kwargs = request.resolver_match.kwargs if request.resolver_match else {}
    return (
        kwargs.get("content_type_app_name") or kwargs.get("app_label"),
        kwargs.get("content_type_model_name") or kwargs.get("model_name"),
    )


@hooks.register("register_page_action_menu_item")
def precheck_menu_item():
    return PrecheckMenuItem()


@hooks.register("insert_editor_js")
def precheck_js():
    return format_html('<script src="{}" defer></script>', static("screening/precheck.js"))


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
