"""The mailbox in the admin (沟通信箱, 第十一、十三条; R-MAIL-2..5): the case list, one letter
with the steps its reader may take now, 整理上报 and the 区长电子信箱 hand-off.

Thin: who may read a letter and take a step is ``rules``; every step is a ``cases`` function.
A step refused (``CaseError``, in Chinese) is shown as a message with the form as it was
filled in, and changes nothing. A letter the user may not read is a 404, whatever the URL.
The letters' attachments are private: they are sent by ``AttachmentView`` to those who may read
the letter, never linked under MEDIA_URL.
"""

from dataclasses import dataclass

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin
from wagtail.admin.widgets import BooleanRadioSelect, HeaderButton

from govsite.exports.tables import CONTENT_TYPES
from govsite.sections.models import Section
from govsite.sections.rules import is_chief_of, is_site_manager

from . import admin_forms, cases, exports, handoff, reports, rules
from .models import Letter, LetterEvent

Status = Letter.Status
MENU_LABEL = "沟通信箱"
LIST_LABEL = "来信办理"


# Who takes part ----------------------------------------------------------------------------------


def _home():
    return {"url": reverse("wagtailadmin_home"), "label": "首页"}


def _mailbox():
    return {"url": reverse("mailbox_letters"), "label": LIST_LABEL}


def _attachment_response(file, filename, content_type="application/octet-stream"):
    """A private file, always downloaded, never rendered by the browser."""
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# What waits for whom -----------------------------------------------------------------------------


@dataclass
class Count:
    label: str
    count: int
    url: str
    todo: bool = True  # counted on the menu (the overdue letters are already counted once)


def _list_url(**filters):
    from django.utils.http import urlencode

    return reverse("mailbox_letters") + ("?" + urlencode(filters, doseq=True) if filters else "")


def worklist(user, today=None):
    """What waits for ``user``: for 综合科 the letters to triage, to reply to and the
    extensions to decide; for a section the replies to draft and, for its chief, to approve;
    for everyone the overdue letters they can see."""
    letters = rules.letters_for(user)
    counts = []
    if is_site_manager(user):
        counts += [
            Count("待分类", letters.awaiting_triage().count(), _list_url(status=Status.RECEIVED)),
            Count(
                "待审核答复",
                letters.filter(status__in=[Status.APPROVED, Status.RESULT]).count(),
                _list_url(status=[Status.APPROVED, Status.RESULT]),
            ),
            Count(
                "待办理结果",
                letters.filter(status=Status.FORWARDED).count(),
                _list_url(status=Status.FORWARDED),
            ),
            Count(
                "延期待审批",
                letters.in_hand().filter(extension_days__gt=0).count(),
                _list_url(extension="true"),
            ),
        ]
    else:
        assigned = letters.filter(status=Status.ASSIGNED).select_related("section")
        drafted = letters.filter(status=Status.DRAFTED).select_related("section")
        counts += [
            Count(
                "待拟写答复",
                sum(1 for letter in assigned if rules.may_draft(user, letter)),
                _list_url(status=Status.ASSIGNED),
            ),
            Count(
                "待科长审核",
                sum(1 for letter in drafted if rules.may_approve(user, letter)),
                _list_url(status=Status.DRAFTED),
            ),
        ]
    counts.append(
        Count("超期", letters.overdue(today).count(), _list_url(overdue="true"), todo=False)
    )
    return counts


def todo_count(user):
    """The number on the menu: what waits for ``user`` to act."""
    return sum(count.count for count in worklist(user) if count.todo)


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
        overdue = Letter.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)

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


class LetterIndexView(IndexView):
    """来信办理: the letters the user may see (``rules.letters_for``), filtered and searched."""

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

    def get_base_queryset(self):
        return rules.letters_for(self.request.user, Letter.objects.select_related("section"))

    def get_breadcrumbs_items(self):
        return [_home(), {"url": "", "label": LIST_LABEL}]

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


class LetterMixin:
    """The letter of the URL, if the user may read it (``rules.may_read``); else a 404, so that
    nobody learns which letters exist."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.letter = get_object_or_404(
            Letter.objects.select_related("section", "duplicate_of"), pk=kwargs["pk"]
        )

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and rules.may_read(request.user, self.letter)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class Step:
    """One step a user may take on a letter from its page: the form, when it is offered (asked
    of ``rules`` and the letter's state) and the ``cases`` function that takes it."""

    name = ""
    title = ""
    form_class = None
    template_name = "mailbox/admin/steps/form.html"
    submit_label = "提交"

    def shown(self, user, letter):
        raise NotImplementedError

    def heading(self, letter):
        return self.title

    def form(self, letter, data=None):
        # Prefixed: several steps' forms share one page, and field names such as "note".
        return self.form_class(data, prefix=self.name, **self.form_kwargs(letter))

    def form_kwargs(self, letter):
        return {}

    def take(self, letter, user, data):
        """Take the step with the cleaned data; return the success message."""
        raise NotImplementedError


class Classify(Step):
    name, title, form_class = "classify", "分类", admin_forms.ClassifyForm
    submit_label = "确定分类"

    def shown(self, user, letter):
        return rules.may_triage(user, letter) and letter.status == Status.RECEIVED

    def form_kwargs(self, letter):
        return {"initial": {"scope": letter.scope or None}}

    def take(self, letter, user, data):
        cases.classify(letter, user, data["scope"])
        return f"已分类为“{Letter.Scope(data['scope']).label}”。"


class Close(Step):
    name, title, form_class = "close", "不予受理", admin_forms.CloseForm
    submit_label = "不予受理"

    def shown(self, user, letter):
        return rules.may_triage(user, letter) and letter.status == Status.RECEIVED

    def take(self, letter, user, data):
        cases.close(letter, user, data["reason"], duplicate_of=data["duplicate_of"])
        return f"已不予受理（{letter.get_status_display()}）。"


class Assign(Step):
    name, title, form_class = "assign", "交办", admin_forms.AssignForm
    submit_label = "交办"

    def shown(self, user, letter):
        if not rules.may_triage(user, letter):
            return False
        if letter.status == Status.RECEIVED:
            return letter.scope == Letter.Scope.INTERNAL
        return letter.status == Status.ASSIGNED

    def heading(self, letter):
        return "重新交办（改派科室或调整期限）" if letter.status == Status.ASSIGNED else self.title

    def form_kwargs(self, letter):
        return {"letter": letter}

    def take(self, letter, user, data):
        cases.assign(letter, user, data["section"], data["deadline"])
        return f"已交{letter.section.name}办理，办理期限 {letter.deadline:%Y-%m-%d}。"


class Forward(Step):
    name, title, form_class = "forward", "转区长电子信箱", forms.Form
    template_name = "mailbox/admin/steps/forward.html"
    submit_label = "登记转办"

    def shown(self, user, letter):
        return (
            rules.may_triage(user, letter)
            and letter.status == Status.RECEIVED
            and letter.scope == Letter.Scope.GOVERNMENT
        )

    def take(self, letter, user, data):
        cases.forward(letter, user)
        return "已登记转区长电子信箱。请下载或打印转办包，按区长电子信箱程序报送。"


class RequestExtension(Step):
    name, title, form_class = "extension", "申请延期", admin_forms.ExtensionRequestForm
    submit_label = "申请延期"

    def shown(self, user, letter):
        return (
            rules.may_draft(user, letter)
            and letter.status in (Status.ASSIGNED, Status.DRAFTED)
            and not letter.extension_days
        )

    def take(self, letter, user, data):
        cases.request_extension(letter, user, data["days"], data["reason"])
        return "已申请延期，等待综合科审批。"


class DecideExtension(Step):
    name, title, form_class = "extension-decision", "延期审批", admin_forms.ExtensionDecisionForm
    template_name = "mailbox/admin/steps/decision.html"

    def shown(self, user, letter):
        return rules.may_triage(user, letter) and bool(letter.extension_days) and letter.is_open

    def take(self, letter, user, data):
        grant = data["decision"] == admin_forms.ExtensionDecisionForm.GRANT
        cases.decide_extension(letter, user, grant, data["note"])
        if grant:
            return f"已同意延期，新的办理期限 {letter.deadline:%Y-%m-%d}。"
        return "已不同意延期，维持原办理期限。"


class Draft(Step):
    name, title, form_class = "draft", "拟写答复", admin_forms.DraftForm
    submit_label = "提交科长审核"

    def shown(self, user, letter):
        return rules.may_draft(user, letter) and letter.status == Status.ASSIGNED

    def form_kwargs(self, letter):
        return {"initial": {"text": letter.draft_reply}}

    def take(self, letter, user, data):
        cases.draft(letter, user, data["text"])
        return "答复草稿已提交科长审核。"


class ChiefReview(Step):
    name, title, form_class = "chief-review", "科长审核", admin_forms.ChiefReviewForm
    template_name = "mailbox/admin/steps/decision.html"

    def shown(self, user, letter):
        return letter.status == Status.DRAFTED and rules.may_approve(user, letter)

    def take(self, letter, user, data):
        if data["decision"] == admin_forms.ChiefReviewForm.APPROVE:
            cases.approve(letter, user, data["note"])
            return "答复已审核通过，转综合科审核发布。"
        cases.return_draft(letter, user, data["note"])
        return "已退回承办科室修改。"


class OfficeReview(Step):
    name, title, form_class = "office-review", "综合科审核", admin_forms.OfficeReviewForm
    template_name = "mailbox/admin/steps/decision.html"

    def shown(self, user, letter):
        return rules.may_triage(user, letter) and letter.status in (
            Status.APPROVED,
            Status.RESULT,
        )

    def form_kwargs(self, letter):
        return {"letter": letter}

    def take(self, letter, user, data):
        if data["decision"] == admin_forms.OfficeReviewForm.RETURN:
            cases.return_draft(letter, user, data.get("note", ""))
            return "已退回承办科室修改。"
        cases.reply(
            letter, user, text=data["text"], department=data["department"], publish=data["publish"]
        )
        return "已答复。" + ("信件和答复已在网站公开。" if letter.published else "")


class RecordResult(Step):
    name, title, form_class = "result", "登记办理结果", admin_forms.ResultForm
    submit_label = "登记"

    def shown(self, user, letter):
        return rules.may_triage(user, letter) and letter.status == Status.FORWARDED

    def take(self, letter, user, data):
        cases.record_result(letter, user, data["text"], data["department"], data["handled_at"])
        return "已登记办理结果。请审核后答复来信人。"


class Publish(Step):
    name, title, form_class = "publish", "网站公开", admin_forms.PublishForm
    template_name = "mailbox/admin/steps/publish.html"

    def shown(self, user, letter):
        return rules.may_triage(user, letter) and letter.status == Status.REPLIED

    def take(self, letter, user, data):
        cases.set_published(letter, user, data["publish"])
        return "已在网站公开。" if letter.published else "已取消公开。"


class Report(Step):
    name, title, form_class = "report", "整理上报", admin_forms.ReportForm
    template_name = "mailbox/admin/steps/report.html"
    submit_label = "登记上报"

    def shown(self, user, letter):
        return (
            rules.may_triage(user, letter)
            and bool(letter.scope)
            and letter.status not in (Status.INVALID, Status.DUPLICATE)
        )

    def take(self, letter, user, data):
        # cases.record_report asks nobody: 整理上报 is 综合科's (第十一条).
        if not rules.may_triage(user, letter):
            raise cases.CaseError("您无权办理这封信件。")
        cases.record_report([letter], user, data["note"])
        return "已登记整理上报。"


STEPS = {
    step.name: step
    for step in (
        Classify(),
        Close(),
        Assign(),
        Forward(),
        RecordResult(),
        RequestExtension(),
        DecideExtension(),
        Draft(),
        ChiefReview(),
        OfficeReview(),
        Publish(),
        Report(),
    )
}


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
        return [_home(), _mailbox(), {"url": "", "label": self.letter.tracking_number}]

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user, letter = self.request.user, self.letter
        steps = []
        for step in STEPS.values():
            if step.shown(user, letter):
                form = bound[1] if bound and bound[0] is step else step.form(letter)
                steps.append((step, step.heading(letter), form))
        is_chief = is_chief_of(user, letter.section)
        context.update(
            letter=letter,
            events=letter.events.select_related("actor"),
            steps=steps,
            overdue=letter.is_overdue(),
            own_draft_waits=(
                letter.status == Status.DRAFTED and is_chief and not rules.may_approve(user, letter)
            ),
            handoff=(
                letter.scope == Letter.Scope.GOVERNMENT
                and letter.status in (Status.FORWARDED, Status.RESULT, Status.REPLIED)
                and rules.may_triage(user, letter)
            ),
            attachment_name=_attachment_name(letter),
        )
        return context


def _attachment_name(letter):
    return letter.attachment.name.rsplit("/", 1)[-1] if letter.attachment else ""


class LetterStepView(LetterMixin, View):
    """POST of one step's form: the ``cases`` function, then back to the letter."""

    http_method_names = ["post"]

    def post(self, request, pk, step):
        if step not in STEPS:
            raise Http404
        step = STEPS[step]
        letter = self.letter
        form = step.form(letter, request.POST)
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
        return _attachment_response(file, _attachment_name(self.letter))


class LetterPrintView(LetterMixin, TemplateView):
    """整理上报 of one letter: everything about it and its record, on paper."""

    template_name = "mailbox/admin/letter_print.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "letter": self.letter,
            "events": self.letter.events.select_related("actor"),
            "attachment_name": _attachment_name(self.letter),
            "printed_at": timezone.now(),
            "printed_by": self.request.user,
        }


# The 区长电子信箱 hand-off (R-MAIL-4) ------------------------------------------------------------


class TriageMixin:
    """综合科's pages: 整理上报 and the hand-off."""

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and rules.may_triage(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class HandoffMixin(LetterMixin):
    """The package of a government letter, for 综合科 (it carries the writer's personal data)."""

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and rules.may_triage(request.user, self.letter)):
            raise PermissionDenied
        if self.letter.scope != Letter.Scope.GOVERNMENT:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class HandoffDownloadView(HandoffMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, pk):
        response = HttpResponse(
            handoff.dumps(self.letter).encode("utf-8"),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{self.letter.tracking_number}.json"
        )
        response["Cache-Control"] = "private, no-store"
        return response


class HandoffPrintView(HandoffMixin, TemplateView):
    template_name = "mailbox/admin/handoff_print.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "letter": self.letter,
            "package": handoff.package(self.letter),
            "forwarded_at": self.letter.events.filter(action=LetterEvent.Action.FORWARDED)
            .values_list("at", flat=True)
            .first(),
            "json": handoff.dumps(self.letter),
            "printed_at": timezone.now(),
            "printed_by": self.request.user,
        }


class HandoffImportView(TriageMixin, WagtailAdminTemplateMixin, FormView):
    """导入办理结果: the returned package is read (``handoff.import_result``) and recorded as the
    letter's result; a package that cannot be read is refused with the reason, in Chinese."""

    template_name = "mailbox/admin/handoff_import.html"
    form_class = admin_forms.HandoffImportForm
    page_title = "导入办理结果"
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [_home(), _mailbox(), {"url": "", "label": self.page_title}]

    def form_valid(self, form):
        try:
            letter = handoff.import_result(form.cleaned_data["file"].read(), self.request.user)
        except (handoff.HandoffError, cases.CaseError) as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"已导入 {letter.tracking_number} 的办理结果。请审核后答复来信人。",
        )
        return redirect("mailbox_letter", letter.pk)


class HandoffSchemaView(TriageMixin, View):
    """The documented format of the package (data/handoff.schema.json)."""

    http_method_names = ["get", "head"]

    def get(self, request):
        return _attachment_response(
            open(handoff.SCHEMA_FILE, "rb"),  # noqa: SIM115 (FileResponse closes it)
            "handoff.schema.json",
            content_type="application/schema+json",
        )


# 整理上报: the period summary (R-MAIL-3) ---------------------------------------------------------

EXPORT_TYPES = {
    "csv": (CONTENT_TYPES["csv"], exports.write_csv),
    "xlsx": (CONTENT_TYPES["xlsx"], exports.write_xlsx),
}


class SummaryMixin(TriageMixin):
    http_method_names = ["get", "head"]

    @cached_property
    def form(self):
        return admin_forms.SummaryForm.for_request(self.request)

    def summary(self):
        start, end = self.form.cleaned_data["start"], self.form.cleaned_data["end"]
        letters = list(self.form.letters())
        rows = exports.summary_rows(letters)
        return {
            "rows": rows,
            "letter_rows": list(zip(letters, rows, strict=True)),
            "statistics": exports.statistics_lines(reports.statistics(start, end)),
            "conditions": self.form.conditions(),
            "query": self.form.query(),
        }


class SummaryView(SummaryMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "mailbox/admin/summary.html"
    page_title = "整理上报"
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [_home(), _mailbox(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        if self.form.is_valid():
            context.update(self.summary())
            context["export_urls"] = {
                export_type: reverse("mailbox_report_export", args=[export_type])
                + "?"
                + context["query"]
                for export_type in EXPORT_TYPES
            }
        return context


class SummaryPrintView(SummaryMixin, TemplateView):
    template_name = "mailbox/admin/summary_print.html"

    def get(self, request, *args, **kwargs):
        if not self.form.is_valid():
            return redirect("mailbox_report")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **self.summary(),
            "form": self.form,
            "printed_at": timezone.now(),
            "printed_by": self.request.user,
        }


class SummaryExportView(SummaryMixin, View):
    """The summary as a file; each letter in it gets a 整理上报 entry in its record."""

    def get(self, request, export_type):
        if export_type not in EXPORT_TYPES:
            raise Http404
        if not self.form.is_valid():
            return redirect("mailbox_report")
        start, end = self.form.cleaned_data["start"], self.form.cleaned_data["end"]
        letters = list(self.form.letters())
        content_type, write = EXPORT_TYPES[export_type]
        body = write(exports.summary_rows(letters), reports.statistics(start, end))
        cases.record_report(
            letters, request.user, f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d} 来信汇总（{export_type}）"
        )
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"来信汇总-{start:%Y%m%d}-{end:%Y%m%d}.{export_type}"
        )
        return response
