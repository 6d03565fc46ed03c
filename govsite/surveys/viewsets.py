"""The admin of R-SURVEY-1 (第十一条): 综合科 builds surveys under 在线交流 › 调查问卷, reads
each survey's results (tables and charts) and exports its answer sheets as .xlsx."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views.generic import TemplateView
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import EditView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton, ListingButton

from govsite.exports.tables import CONTENT_TYPES

from . import exports
from .forms import SurveyForm
from .models import Survey
from .results import survey_results


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def may_read_results(user):
    """综合科's site manager (and a superuser) reads results and exports answer sheets."""
    return user.has_perm("surveys.view_survey")


class SurveyIndexView(IndexView):
    """The list, each survey with a 统计结果 button beside its actions."""

    def get_base_queryset(self):
        return super().get_base_queryset().with_response_count()

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


class SurveyEditView(EditView):
    """The editor, with the results one click away and a word on the lock once answered."""

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                "统计结果",
                url=reverse("surveys:results", args=[self.object.pk]),
                icon_name="table",
            ),
        ]

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
        index_url = reverse("surveys:index")
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


class SurveyViewSet(ModelViewSet):
    model = Survey
    name = "surveys"
    icon = "tasks"
    menu_label = "调查问卷"
    url_prefix = "surveys"
    add_to_admin_menu = False
    index_view_class = SurveyIndexView
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
            FieldPanel("introduction"),
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
    """在线交流 (第十一条): the back office of the column 综合科 runs."""

    menu_label = "在线交流"
    menu_icon = "group"
    menu_order = 260
    items = [SurveyViewSet]
