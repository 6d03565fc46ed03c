"""The admin of R-SURVEY-1 (第十一、十四条): the owner of 服务满意度调查 builds surveys under
在线交流 › 调查问卷 and submits them to the review chain; its staff and director read each
survey's results (tables and charts) and export its answer sheets as .xlsx.

Surveys are a Wagtail snippet with drafts, revisions and the office's review workflow: saving
keeps a draft, 提交审核 sends it through screening, the chief and the director, whose approval
publishes it. Who may do what is ``rules`` (through ``permissions.SurveyPermissionPolicy``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views.generic import TemplateView
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.models import WorkflowState
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet

from govsite.exports.tables import CONTENT_TYPES
from govsite.workflow.wording import returned_by_screening, screening_refusal

from . import exports
from .forms import SurveyForm
from .models import Survey
from .results import survey_results
from .rules import may_read_results
from .widgets import LinesTextarea


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


class SurveyIndexView(IndexView):
    """The list: each survey's status in the office's words and a 统计结果 button, at a cost
    that does not grow with the rows (the review status is annotated, not asked per row)."""

    add_item_label = "添加调查问卷"

    def get_base_queryset(self):
        return super().get_base_queryset().with_response_count().with_review_status()

    @cached_property
    def list_display(self):
        # Not Wagtail's live/draft tag (one query per row, and its words are not ours).
        return self.viewset.list_display

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if may_read_results(self.request.user):
            buttons.append(
                ListingButton(
                    "统计结果",
                    url=reverse("surveys:results", args=[instance.pk]),
                    icon_name="table",
                    priority=5,
                    attrs={"aria-label": f"「{instance.title}」的统计结果"},
                )
            )
        return buttons


class ReviewMessagesMixin:
    """What happened, in the office's words, after each action of the survey editor; a survey
    returned by the automatic screening stays in the editor with every finding (R-FLOW-1)."""

    def _after_submitting(self):
        screening = returned_by_screening(self.object)
        if screening is None:
            return None
        messages.error(self.request, screening_refusal(screening))
        return redirect("surveys:edit", self.object.pk)

    def submit_action(self):
        super().submit_action()
        return self._after_submitting()

    def restart_workflow_action(self):
        super().restart_workflow_action()
        return self._after_submitting()

    def get_success_message(self, instance=None):
        survey = instance or self.object
        title = f"调查问卷「{survey.title}」"
        if self.action in ("submit", "restart-workflow"):
            return f"{title}已提交审核，已送科长审核。"
        if self.action == "cancel-workflow":
            return f"{title}已撤回审核，现为草稿，可以继续修改。"
        if self.action == "publish":
            return f"{title}已发布。"
        if self.action == "workflow-action":
            return self._decision_message(title)
        if survey.live:
            return f"{title}的修改已保存为草稿。网站上仍是已发布的版本，提交审核并通过后才会更新。"
        return f"{title}已保存为草稿。提交审核并通过后才会在网站上发布。"

    def _decision_message(self, title):
        state = self.object.workflow_states.order_by("-created_at").first()
        if state is None:
            return f"{title}：已处理。"
        if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            return f"{title}已退回修改，已通知提交人。"
        if state.status == WorkflowState.STATUS_APPROVED:
            return f"{title}已通过，已发布。"
        task = state.current_task_state.task if state.current_task_state else None
        return f"{title}已通过，已送{task.name if task else '下一步'}。"


class SurveyCreateView(ReviewMessagesMixin, CreateView):
    pass


class SurveyEditView(ReviewMessagesMixin, EditView):
    """The editor, with the results one click away and a word on the lock once answered."""

    def save_instance(self):
        # Deciding a review from the editor is not editing: without changes no new version is
        # saved, as the page editor does — a new version would restart the review chain
        # (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT) under the reviewer's name.
        if self.action == "workflow-action" and not self.form.has_changed():
            self.new_revision = None
            return self.object
        return super().save_instance()

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if may_read_results(self.request.user):
            buttons.append(
                HeaderButton(
                    "统计结果",
                    url=reverse("surveys:results", args=[self.object.pk]),
                    icon_name="table",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["response_count"] = self.object.responses.count()
        return context


class SurveyResultsView(WagtailAdminTemplateMixin, TemplateView):
    """Per question a table and a bar chart; the free-text answers listed in full."""

    template_name = "surveys/admin/results.html"
    header_icon = "table"

    def dispatch(self, request, *args, pk, **kwargs):
        if not may_read_results(request.user):
            raise PermissionDenied
        self.survey = get_object_or_404(Survey, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return "统计结果"

    def get_page_subtitle(self):
        return self.survey.title

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                "导出全部答卷（Excel）",
                url=reverse("surveys:export", args=[self.survey.pk]),
                icon_name="download",
            )
        ]

    def get_context_data(self, **kwargs):
        index_url = reverse("surveys:list")
        return {
            **super().get_context_data(**kwargs),
            "survey": self.survey,
            "results": survey_results(self.survey),
            "edit_url": reverse("surveys:edit", args=[self.survey.pk]),
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "首页"},
                {"url": index_url, "label": "调查问卷"},
                {"url": "", "label": f"{self.survey.title}：统计结果"},
            ],
        }


def export(request, pk):
    """All answer sheets of one survey as .xlsx, one row each."""
    if not may_read_results(request.user):
        raise PermissionDenied
    survey = get_object_or_404(Survey, pk=pk)
    response = HttpResponse(exports.write_xlsx(survey), content_type=CONTENT_TYPES["xlsx"])
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{survey.title}-答卷-{stamp}.xlsx"
    )
    return response


class SurveyViewSet(SnippetViewSet):
    model = Survey
    icon = "tasks"
    menu_label = "调查问卷"
    url_prefix = "surveys"
    url_namespace = "surveys"
    add_to_admin_menu = False
    menu_item_is_registered = True  # in the 在线交流 group, not under Wagtail's 片段
    index_view_class = SurveyIndexView
    add_view_class = SurveyCreateView
    edit_view_class = SurveyEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = ["title"]
    search_backend_name = None
    list_per_page = 30
    list_display = [
        "title",
        Column("opens_at", label="开始时间", accessor=lambda s: _local(s.opens_at)),
        Column("closes_at", label="结束时间", accessor=lambda s: _local(s.closes_at)),
        Column("status", label="状态", accessor=lambda s: s.status()),
        Column("response_count", label="答卷数"),
    ]
    edit_template_name = "surveys/admin/edit.html"
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("introduction", widget=LinesTextarea),
            MultiFieldPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading="调查时间"),
            FieldPanel("publish_results"),
            InlinePanel("questions", heading="题目", label="题目", min_num=1),
        ],
        base_form_class=SurveyForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "results/<int:pk>/",
                SurveyResultsView.as_view(header_icon=self.icon),
                name="results",
            ),
            path("export/<int:pk>/", export, name="export"),
        ]


class OnlineExchangeViewSetGroup(ViewSetGroup):
    """在线交流 (第十一条): the back office of the column 综合科 runs (by default)."""

    menu_label = "在线交流"
    menu_icon = "group"
    menu_order = 260
    items = [SurveyViewSet]
