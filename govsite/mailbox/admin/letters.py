"""来信办理: the case list, and one letter with the steps its reader may take now.

A letter the user may not read is a 404, whatever the URL. A step refused (``CaseError``, in
Chinese) is shown as a message with the form as it was filled in, and changes nothing. The
letters' attachments are private: they are sent by ``AttachmentView`` to those who may read the
letter, never linked under MEDIA_URL.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin
from wagtail.admin.widgets import BooleanRadioSelect, HeaderButton

from govsite.sections.models import Section
from govsite.sections.rules import is_chief_of

from .. import cases, rules
from ..models import Letter, MailboxSettings
from .base import (
    LIST_LABEL,
    LetterMixin,
    attachment_name,
    attachment_response,
    home,
    mailbox,
)
from .steps import STEPS

Status = Letter.Status


# The case list -----------------------------------------------------------------------------------


class LetterFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label="状态", choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    kind = django_filters.ChoiceFilter(
        label="类型", choices=Letter.Kind.choices, empty_label="全部", widget=forms.RadioSelect
    )
    scope = django_filters.ChoiceFilter(
        label="性质", choices=Letter.Scope.choices, empty_label="全部", widget=forms.RadioSelect
    )
    section = django_filters.ModelChoiceFilter(
        label="承办科室", queryset=Section.objects.all(), empty_label="全部"
    )
    overdue = django_filters.BooleanFilter(
        label="超期", method="filter_overdue", widget=BooleanRadioSelect
    )
    extension = django_filters.BooleanFilter(
        label="延期待审批", method="filter_extension", widget=BooleanRadioSelect
    )
    received_at = django_filters.DateFromToRangeFilter(
        label="来信日期", widget=DateRangePickerWidget
    )

    class Meta:
        model = Letter
        fields = []

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.overdue()
        return queryset.exclude(pk__in=Letter.objects.overdue().values("pk"))

    def filter_extension(self, queryset, name, value):
        if value is None:
            return queryset
        pending = Q(extension_days__gt=0, status__in=Letter.OPEN_STATUSES)
        return queryset.filter(pending) if value else queryset.exclude(pending)


class SubjectColumn(Column):
    """The subject, marked when screening flagged the letter."""

    cell_template_name = "mailbox/admin/subject_cell.html"


class DeadlineColumn(Column):
    """The deadline, in red with 超期 once it has passed on a letter still in hand."""

    cell_template_name = "mailbox/admin/deadline_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["overdue"] = instance.is_overdue()
        context["extension"] = instance.extension_days
        return context


# A tracking number, a name or a few words of a subject: a longer search is refused, not run.
SEARCH_MAX_LENGTH = 100


class LetterIndexView(IndexView):
    """来信办理: the letters the user may see (``rules.letters_for``), filtered and searched.
    Its queries do not grow with the letters (the section is joined, not read per row)."""

    model = Letter
    permission_policy = None  # who sees what is rules.letters_for, not model permissions
    any_permission_required = None
    page_title = LIST_LABEL
    header_icon = "mail"
    index_url_name = "mailbox_letters"
    index_results_url_name = "mailbox_letters_results"
    filterset_class = LetterFilterSet
    search_fields = ["tracking_number", "subject", "name"]
    search_backend_name = None
    default_ordering = "-received_at"
    paginate_by = 50

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.is_export = False  # the period summary is 整理上报's export (SummaryExportView)

    def dispatch(self, request, *args, **kwargs):
        if not rules.takes_part(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def user_has_permission(self, permission):
        return permission == "view"  # letters are never added, edited or deleted here

    def user_has_any_permission(self, permissions):
        return "view" in permissions

    def order_queryset(self, queryset):
        """The chosen order, its ties (letters of one status, one deadline) broken by the date
        of receipt and the id in the same direction: pages neither repeat nor skip a letter,
        and every order is an index's, read forwards or backwards (``Letter.Meta.indexes``)."""
        queryset = super().order_queryset(queryset)
        ordering = [str(field) for field in queryset.query.order_by]
        if not ordering or ordering[0].lstrip("-") == "tracking_number":  # unique already
            return queryset
        sign = "-" if ordering[0].startswith("-") else ""
        ties = [f"{sign}{name}" for name in ("received_at", "pk")]
        return queryset.order_by(*ordering, *(tie for tie in ties if tie not in ordering))

    def get_base_queryset(self):
        return rules.letters_for(self.request.user, Letter.objects.select_related("section"))

    def search_queryset(self, queryset):
        if len(self.search_query) > SEARCH_MAX_LENGTH:
            if not self.results_only:
                messages.error(
                    self.request, f"搜索内容不能超过 {SEARCH_MAX_LENGTH} 个字，请缩短后再搜索。"
                )
            return queryset.none()
        return super().search_queryset(queryset)

    def get_breadcrumbs_items(self):
        return [home(), {"url": "", "label": LIST_LABEL}]

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "tracking_number",
                label="信件编号",
                sort_key="tracking_number",
                get_url=lambda letter: reverse("mailbox_letter", args=[letter.pk]),
            ),
            SubjectColumn("subject", label="标题"),
            Column("kind", label="类型", accessor="get_kind_display"),
            Column("status", label="状态", accessor="get_status_display", sort_key="status"),
            Column("section", label="承办科室", accessor="section"),
            DeadlineColumn("deadline", label="办理期限", sort_key="deadline"),
            Column(
                "received_at",
                label="来信时间",
                sort_key="received_at",
                accessor=lambda letter: f"{timezone.localtime(letter.received_at):%Y-%m-%d %H:%M}",
            ),
        ]

    @cached_property
    def header_buttons(self):
        if not rules.may_triage(self.request.user):
            return []
        return [
            HeaderButton(
                "整理上报", url=reverse("mailbox_report"), icon_name="doc-full", priority=10
            ),
            HeaderButton(
                "导入办理结果",
                url=reverse("mailbox_handoff_import"),
                icon_name="upload",
                priority=20,
            ),
        ]


# One letter --------------------------------------------------------------------------------------


class LetterView(LetterMixin, WagtailAdminTemplateMixin, TemplateView):
    """The letter, its screening flags, its whole record and the steps the user may take now.

    Each step's form posts to ``LetterStepView``; a refused step comes back here with the form
    as it was filled in."""

    template_name = "mailbox/admin/letter.html"
    header_icon = "mail"
    http_method_names = ["get", "head"]

    def get_page_title(self):
        return self.letter.tracking_number

    def get_page_subtitle(self):
        return self.letter.subject

    def get_breadcrumbs_items(self):
        return [home(), mailbox(), {"url": "", "label": self.letter.tracking_number}]

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user, letter = self.request.user, self.letter
        steps = []
        for step in STEPS.values():
            if step.shown(user, letter):
                form = bound[1] if bound and bound[0] is step else step.form(letter, user)
                steps.append((step, step.heading(letter), form))
        is_chief = is_chief_of(user, letter.section)
        waits_for_sign_off = letter.status in (Status.PREPARED, Status.DIRECTOR_REVIEW)
        context.update(
            letter=letter,
            events=letter.events.select_related("actor"),
            steps=steps,
            overdue=letter.is_overdue(),
            own_draft_waits=(
                letter.status == Status.DRAFTED and is_chief and not rules.may_approve(user, letter)
            ),
            own_reply_waits=(
                letter.status == Status.PREPARED
                and rules.is_signer(user)
                and not rules.may_sign_off(user, letter)
            ),
            prepared=rules.prepared(letter) if waits_for_sign_off else None,
            directors_approve=(
                letter.status == Status.PREPARED
                and MailboxSettings.load().directors_approve_replies
            ),
            handoff=(
                letter.scope == Letter.Scope.GOVERNMENT
                and letter.status in (Status.FORWARDED, Status.RESULT, Status.REPLIED)
                and rules.may_triage(user, letter)
            ),
            attachment_name=attachment_name(letter),
        )
        return context


class LetterStepView(LetterMixin, View):
    """POST of one step's form: the ``cases`` function, then back to the letter."""

    http_method_names = ["post"]

    def post(self, request, pk, step):
        if step not in STEPS:
            raise Http404
        step = STEPS[step]
        letter = self.letter
        form = step.form(letter, request.user, request.POST)
        if form.is_valid():
            try:
                message = step.take(letter, request.user, form.cleaned_data)
            except cases.CaseError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, message)
                return redirect("mailbox_letter", letter.pk)
        else:
            errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
            messages.error(request, "请按提示修改后再提交：" + "；".join(errors))
        view = LetterView()
        view.setup(request, pk=pk)  # the letter afresh: a refused step changed nothing
        context = view.get_context_data(bound=(step, form))
        return TemplateResponse(request, view.template_name, context)


class AttachmentView(LetterMixin, View):
    """The letter's attachment, to those who may read the letter, as a download."""

    http_method_names = ["get", "head"]

    def get(self, request, pk):
        if not self.letter.attachment:
            raise Http404
        try:
            file = self.letter.attachment.open("rb")
        except FileNotFoundError as missing:
            raise Http404 from missing
        return attachment_response(file, attachment_name(self.letter))


class LetterPrintView(LetterMixin, TemplateView):
    """整理上报 of one letter: everything about it and its record, on paper."""

    template_name = "mailbox/admin/letter_print.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "letter": self.letter,
            "events": self.letter.events.select_related("actor"),
            "attachment_name": attachment_name(self.letter),
            "printed_at": timezone.now(),
            "printed_by": self.request.user,
        }
