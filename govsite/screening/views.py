"""The admin of screening: the lexicons 综合科 maintains (R-SCREEN-1..3), their bulk import,
and the editor's "预检" (check now) that screens a page as it stands in the form."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView
from wagtail.actions.create import CreateAction
from wagtail.actions.edit import EditAction
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.models import Page
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from . import tasks
from .engine import blocking, screen_page, warnings_only
from .forms import SPECS, LexiconImportForm
from .models import (
    ClassificationMark,
    ProhibitedCategory,
    ProhibitedTerm,
    RescreenRun,
    SeriousError,
)
from .rescreen import rescreen_due

ENABLED = BooleanColumn("enabled", label="启用", sort_key="enabled")


class LexiconIndexView(IndexView):
    """The list, with an 导入 button beside 新增 for those who may add and change."""

    import_url_name = None

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.permission_policy.user_has_permission(
            self.request.user, "add"
        ) and self.permission_policy.user_has_permission(self.request.user, "change"):
            buttons.append(
                HeaderButton("导入", url=reverse(self.import_url_name), icon_name="upload")
            )
        return buttons


class LexiconImportView(WagtailAdminTemplateMixin, FormView):
    """Bulk import: every row checked first, then all saved in one transaction, each new or
    changed entry a revision of the importing user (so 历史 shows who changed what, when)."""

    template_name = "screening/import.html"
    form_class = LexiconImportForm
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        policy = self.viewset.permission_policy
        if not (
            policy.user_has_permission(request.user, "add")
            and policy.user_has_permission(request.user, "change")
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"导入{self.viewset.model._meta.verbose_name_plural}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "spec": self.spec}

    @property
    def spec(self):
        return SPECS[self.viewset.model]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "headings": [column.heading for column in self.spec.columns],
            "index_url": reverse(self.viewset.get_url_name("list")),
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "首页"},
                {
                    "url": reverse(self.viewset.get_url_name("list")),
                    "label": self.viewset.model._meta.verbose_name_plural,
                },
                {"url": "", "label": "导入"},
            ],
        }

    def form_valid(self, form):
        plan, user = form.plan, self.request.user
        with transaction.atomic():
            for entry in plan.created:
                CreateAction(entry, user=user).execute()
            for entry in plan.updated:
                EditAction(entry, user=user).execute()
        messages.success(
            self.request,
            f"导入完成：新增 {len(plan.created)} 条，更新 {len(plan.updated)} 条，"
            f"{plan.unchanged} 条未变。",
        )
        return redirect(self.viewset.get_url_name("list"))


class LexiconViewSet(SnippetViewSet):
    index_view_class = LexiconIndexView
    search_backend_name = None
    list_per_page = 50
    copy_view_enabled = False

    @property
    def list_export(self):
        return SPECS[self.model].list_export

    @property
    def export_headings(self):
        return SPECS[self.model].export_headings

    @property
    def export_filename(self):
        return self.model._meta.verbose_name_plural

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(import_url_name=self.get_url_name("import"), **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "import/",
                LexiconImportView.as_view(viewset=self, header_icon=self.icon),
                name="import",
            ),
        ]


class ProhibitedTermViewSet(LexiconViewSet):
    model = ProhibitedTerm
    icon = "warning"
    list_display = ["text", "category", ENABLED, "note", "updated_at"]
    list_filter = ["category", "enabled"]
    search_fields = ["text", "note"]


class ClassificationMarkViewSet(LexiconViewSet):
    model = ClassificationMark
    icon = "lock"
    list_display = ["text", ENABLED, "note", "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["text", "note"]


class SeriousErrorViewSet(LexiconViewSet):
    model = SeriousError
    icon = "edit"
    list_display = ["wrong", "right", "kind", ENABLED, "note", "updated_at"]
    list_filter = ["kind", "enabled"]
    search_fields = ["wrong", "right", "note"]


class ProhibitedCategoryViewSet(SnippetViewSet):
    """The nine items of 第十九条: read here, changed only with the regulation."""

    model = ProhibitedCategory
    icon = "list-ol"
    list_display = ["number", "name", "wording"]
    inspect_view_enabled = True
    copy_view_enabled = False


class RescreenReportView(WagtailAdminTemplateMixin, TemplateView):
    """The latest re-screening of published content, and a button to run one now."""

    template_name = "screening/rescreen_report.html"
    page_title = "已发布信息复查"
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not may_rescreen(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """The run is a background job: it screens every published page, which at the office's
        size takes longer than a request may."""
        job = tasks.start_rescreen(request.user)
        messages.success(
            request,
            f"已开始复查全部已发布信息（后台任务），完成后本页显示结果，未通过的信息会通知负责科室。"
            f"进度见「{job.label}」。",
        )
        return redirect("screening_rescreen:report")

    def get_context_data(self, **kwargs):
        run = RescreenRun.objects.finished().first()
        return {
            **super().get_context_data(**kwargs),
            "run": run,
            "job": tasks.running_job(),
            "due": rescreen_due(),
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "首页"},
                {"url": "", "label": self.page_title},
            ],
        }


def may_rescreen(user):
    return user.has_perm("screening.change_prohibitedterm")


class RescreenViewSet(ViewSet):
    name = "screening_rescreen"
    url_prefix = "screening/rescreen"
    icon = "search"
    menu_label = "已发布信息复查"
    add_to_admin_menu = False

    def get_urlpatterns(self):
        return [path("", RescreenReportView.as_view(), name="report")]

    @property
    def menu_item_class(self):
        from wagtail.admin.menu import MenuItem

        class RescreenMenuItem(MenuItem):
            def is_shown(self, request):
                return may_rescreen(request.user)

        return RescreenMenuItem


class ScreeningViewSetGroup(SnippetViewSetGroup):
    menu_label = "内容审查"
    menu_icon = "warning"
    menu_order = 250
    items = [
        ProhibitedTermViewSet,
        ClassificationMarkViewSet,
        SeriousErrorViewSet,
        ProhibitedCategoryViewSet,
        RescreenViewSet,
    ]


# ---------------------------------------------------------------------------------------------
# 预检 (R-SCREEN-1..4 in the editor): screen what is in the form now, before submitting.


def precheck(request, page_id=None, app_label=None, model_name=None, parent_id=None):
    """Screen the page as the officer has it in the editor, unsaved, and answer with the
    findings as an HTML fragment. Nothing is saved."""
    if request.method != "POST":
        raise PermissionDenied
    if page_id is not None:
        page = get_object_or_404(Page, pk=page_id).get_latest_revision_as_object()
        if not page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        parent = page.get_parent()
    else:
        parent = get_object_or_404(Page, pk=parent_id)
        content_type = get_object_or_404(ContentType, app_label=app_label, model=model_name)
        model = content_type.model_class()
        if model is None or not issubclass(model, Page):
            raise PermissionDenied
        if not parent.permissions_for_user(request.user).can_add_subpage():
            raise PermissionDenied
        page = model(owner=request.user)
    form_class = page.get_edit_handler().get_form_class()
    form = form_class(
        request.POST, request.FILES, instance=page, parent_page=parent, for_user=request.user
    )
    context = {"form_errors": None, "findings": [], "blocking": [], "warnings": []}
    if form.is_valid():
        findings = screen_page(form.save(commit=False), parent=parent)
        context["blocking"], context["warnings"] = blocking(findings), warnings_only(findings)
        context["findings"] = context["blocking"] + context["warnings"]
    else:
        context["form_errors"] = form.errors
    return HttpResponse(render_to_string("screening/precheck.html", context, request=request))
