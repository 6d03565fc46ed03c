"""信息报送 in the admin (第十六条; R-INFO-1, R-INFO-2): the items the user may read (我的信息 /
本科室信息), writing and editing one, an item's page with its content, its record and the steps
the user may take now, 综合科's queue 待采用, and the data 综合科 keeps (信息类别, 采用渠道,
批示级别). Who may do what is ``rules`` and the table in ``lifecycle``; every screen links the
staff guide 信息报送.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from govsite.sections.models import Section
from govsite.sections.rules import is_chief_of

from . import cases, rules
from .forms import ItemForm
from .lifecycle import EDIT, ITEM
from .models import InstructionLevel, Item, ItemKind, Outlet
from .steps import STEPS

Status = Item.Status
MENU_LABEL = "信息报送"
GUIDE_SLUG = "reporting"


def guide_button():
    return HeaderButton(
        "帮助：信息报送",
        url=reverse("govsite_guides:guide", args=[GUIDE_SLUG]),
        icon_name="help",
        priority=90,
    )


def _local(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def _month(item):
    return f"{timezone.localtime(item.sent_at):%Y年%-m月}" if item.sent_at else "未报送"


class GuideMixin:
    @cached_property
    def header_buttons(self):
        return [*getattr(super(), "header_buttons", []), guide_button()]


# The lists ---------------------------------------------------------------------------------------


class ItemFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label="状态", choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    kind = django_filters.ModelChoiceFilter(
        label="信息类别", queryset=ItemKind.objects.all(), empty_label="全部"
    )
    section = django_filters.ModelChoiceFilter(
        label="报送科室", queryset=Section.objects.all(), empty_label="全部"
    )
    sent_at = django_filters.DateFromToRangeFilter(label="报送日期", widget=DateRangePickerWidget)

    class Meta:
        model = Item
        fields = []


def item_columns(first_label="标题"):
    return [
        TitleColumn(
            "title",
            label=first_label,
            get_url=lambda item: reverse("reporting_items:item", args=[item.pk]),
        ),
        Column("section", label="报送科室", accessor="section"),
        Column("kind", label="信息类别", accessor="kind"),
        Column("status", label="状态", accessor="get_status_display", sort_key="status"),
        Column("author", label="撰稿人", accessor=lambda item: _name(item.author)),
        Column("month", label="报送月份", accessor=_month, sort_key="sent_at"),
        Column(
            "updated_at",
            label="修改时间",
            accessor=lambda i: _local(i.updated_at),
            sort_key="updated_at",
        ),  # fmt: skip
    ]


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else ""


class ItemIndexView(GuideMixin, IndexView):
    """我的信息 / 本科室信息: the items the user may read (``rules.items_for``), at a cost that
    does not grow with them (section, kind and writer joined)."""

    filterset_class = ItemFilterSet
    search_fields = ["title"]
    search_backend_name = None
    default_ordering = "-updated_at"
    paginate_by = 50

    def get_page_title(self):
        return "本科室信息" if rules.reads_every_sent_item(self.request.user) else "我的信息"

    def get_base_queryset(self):
        return rules.items_for(
            self.request.user, Item.objects.select_related("section", "kind", "author")
        )

    @cached_property
    def columns(self):
        return item_columns()


class QueueView(ItemIndexView):
    """待采用: the items waiting for 综合科, from every section, the oldest sent first."""

    page_title = "待采用"
    default_ordering = "sent_at"

    def get_page_title(self):
        return self.page_title

    def dispatch(self, request, *args, **kwargs):
        if not rules.is_adopting_staff(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return Item.objects.awaiting_office().select_related("section", "kind", "author")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items()[:-1], {"url": "", "label": self.page_title}]


# Writing ------------------------------------------------------------------------------------------


class ItemCreateView(GuideMixin, CreateView):
    success_message = "已保存草稿“%(object)s”。请检查后提交科长审核。"
    page_title = "撰写信息"
    submit_button_label = "保存草稿"
    submit_button_active_label = "正在保存…"

    def save_instance(self):
        self.form.instance.author = self.request.user
        return super().save_instance()

    def get_success_url(self):
        return reverse("reporting_items:item", args=[self.object.pk])

    def get_success_buttons(self):
        return []  # the item's page, where it lands, has the 修改 button


class ItemEditView(GuideMixin, EditView):
    success_message = "已保存修改“%(object)s”。"
    submit_button_label = "保存"
    submit_button_active_label = "正在保存…"

    def dispatch(self, request, *args, **kwargs):
        item = get_object_or_404(Item.objects.select_related("section"), pk=kwargs["pk"])
        if not rules.may_read(request.user, item):
            raise Http404
        refusal = ITEM.refusal(EDIT, request.user, item)
        if refusal:
            messages.error(request, refusal)
            return redirect("reporting_items:item", item.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("reporting_items:item", args=[self.object.pk])

    def get_success_message(self):
        return self.success_message % {"object": self.object}


# One item -----------------------------------------------------------------------------------------


class ItemMixin:
    """The item of the URL, if the user may read it (``rules.may_read``); else a 404."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.item = get_object_or_404(
            Item.objects.select_related("section", "kind", "author", "adopted_page"),
            pk=kwargs["pk"],
        )

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and rules.may_read(request.user, self.item)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ItemView(ItemMixin, GuideMixin, WagtailAdminTemplateMixin, TemplateView):
    """The item: its content, its record (who, when, what comment), the outlets and
    instructions recorded, and the steps the user may take now."""

    template_name = "reporting/admin/item.html"
    header_icon = "doc-full"
    http_method_names = ["get", "head"]

    def get_page_title(self):
        return self.item.title

    def get_page_subtitle(self):
        return self.item.get_status_display()

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "首页"},
            {"url": reverse("reporting_items:index"), "label": MENU_LABEL},
            {"url": "", "label": self.item.title},
        ]

    @cached_property
    def header_buttons(self):
        buttons = [guide_button()]
        if ITEM.allows(EDIT, self.request.user, self.item):
            buttons.insert(
                0,
                HeaderButton(
                    "修改",
                    url=reverse("reporting_items:edit", args=[self.item.pk]),
                    icon_name="edit",
                    priority=10,
                ),
            )
        return buttons

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user, item = self.request.user, self.item
        steps = []
        for step in STEPS.values():
            if step.shown(user, item):
                form = bound[1] if bound and bound[0] is step else step.form()
                steps.append((step, form))
        own_waits = (
            item.status == Status.AWAITING_CHIEF
            and item.author_id == user.pk
            and is_chief_of(user, item.section)
        )
        context.update(
            item=item,
            attachments=item.attachments.select_related("document"),
            steps=steps,
            record=item.steps.select_related("actor"),
            outlets=item.outlet_adoptions.select_related("outlet"),
            instructions=item.instructions.select_related("level"),
            own_item_waits=own_waits,
            adopted_page=item.adopted_page,
        )
        return context


class ItemStepView(ItemMixin, View):
    """POST of one step's form: the ``cases`` function, then back to the item (or, after
    采用, into the copy's editor). A refused step comes back with the form as filled in."""

    http_method_names = ["post"]

    def post(self, request, pk, step):
        if step not in STEPS:
            raise Http404
        step = STEPS[step]
        form = step.form(request.POST)
        if form.is_valid():
            try:
                message, url = step.take(self.item, request.user, form.cleaned_data)
            except cases.CaseError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, message)
                return redirect(url or reverse("reporting_items:item", args=[pk]))
        else:
            errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
            messages.error(request, "请按提示修改后再提交：" + "；".join(errors))
        view = ItemView()
        view.setup(request, pk=pk)  # the item afresh: a refused step changed nothing
        context = view.get_context_data(bound=(step, form))
        return TemplateResponse(request, view.template_name, context)


class ItemViewSet(ModelViewSet):
    """动态信息: the list, writing and editing, and an item's page (``ItemView``)."""

    model = Item
    icon = "doc-full"
    menu_label = "我的信息"
    url_prefix = "reporting/items"
    url_namespace = "reporting_items"
    add_to_admin_menu = False
    index_view_class = ItemIndexView
    add_view_class = ItemCreateView
    edit_view_class = ItemEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("section"),
            FieldPanel("kind"),
            FieldPanel("title"),
            FieldPanel("body"),
            InlinePanel(
                "attachments",
                heading="附件",
                label="附件",
                panels=[FieldPanel("document"), FieldPanel("title")],
            ),
        ],
        base_form_class=ItemForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/", ItemView.as_view(), name="item"),
            path("<int:pk>/step/<slug:step>/", ItemStepView.as_view(), name="step"),
            path("queue/", self.queue_view, name="queue"),
            path("queue/results/", self.queue_results_view, name="queue_results"),
        ]

    def _queue_kwargs(self):
        return {
            **self.get_index_view_kwargs(),
            "index_url_name": self.get_url_name("queue"),
            "index_results_url_name": self.get_url_name("queue_results"),
        }

    @property
    def queue_view(self):
        return self.construct_view(QueueView, **self._queue_kwargs())

    @property
    def queue_results_view(self):
        return self.construct_view(QueueView, **self._queue_kwargs(), results_only=True)


items = ItemViewSet()


# The data 综合科 keeps ----------------------------------------------------------------------------


class OfficeDataViewSet(ModelViewSet):
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = ["name"]
    search_backend_name = None
    index_view_class = type("OfficeDataIndexView", (GuideMixin, IndexView), {})


class KindViewSet(OfficeDataViewSet):
    model = ItemKind
    name = "reporting_kinds"
    url_prefix = "reporting/kinds"
    icon = "tag"
    menu_label = "信息类别"
    list_display = ["name", "order", BooleanColumn("active", label="启用")]
    form_fields = ["name", "order", "active"]


class OutletViewSet(OfficeDataViewSet):
    model = Outlet
    name = "reporting_outlets"
    url_prefix = "reporting/outlets"
    icon = "globe"
    menu_label = "采用渠道"
    list_display = [
        "name",
        "points",
        BooleanColumn("own_site", label="本站工作动态"),
        "order",
        BooleanColumn("active", label="启用"),
    ]
    form_fields = ["name", "points", "own_site", "order", "active"]


class LevelViewSet(OfficeDataViewSet):
    model = InstructionLevel
    name = "reporting_levels"
    url_prefix = "reporting/levels"
    icon = "pick"
    menu_label = "批示级别"
    list_display = ["name", "points", "order", BooleanColumn("active", label="启用")]
    form_fields = ["name", "points", "order", "active"]


kinds, outlets, levels = KindViewSet(), OutletViewSet(), LevelViewSet()
