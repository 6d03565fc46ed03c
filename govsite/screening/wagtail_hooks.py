"""Screening in the admin: the lexicon menu (内容审查) and the editor's 预检 button. What the
officer is told when the review chain's automatic screening returns a submission is the
chain's (``govsite.workflow.wagtail_hooks``)."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem

from govsite.columns.models import ContentPage

from . import views

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
