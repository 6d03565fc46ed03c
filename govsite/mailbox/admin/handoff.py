"""The 区长电子信箱 hand-off in the admin (R-MAIL-4): the package of a government letter,
downloaded or printed, and the import of the result it comes back with (``..handoff``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .. import cases, handoff, rules
from ..models import Letter, LetterEvent
from .base import LetterMixin, TriageMixin, attachment_response, home, mailbox
from .forms import HandoffImportForm


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
    form_class = HandoffImportForm
    page_title = "导入办理结果"
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [home(), mailbox(), {"url": "", "label": self.page_title}]

    def form_valid(self, form):
        try:
            letter = handoff.import_result(form.cleaned_data["file"].read(), self.request.user)
        except (handoff.HandoffError, cases.CaseError) as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"已导入 {letter.tracking_number} 的办理结果。请拟定答复，送科长签发。",
        )
        return redirect("mailbox_letter", letter.pk)


class HandoffSchemaView(TriageMixin, View):
    """The documented format of the package (data/handoff.schema.json)."""

    http_method_names = ["get", "head"]

    def get(self, request):
        return attachment_response(
            open(handoff.SCHEMA_FILE, "rb"),  # noqa: SIM115 (FileResponse closes it)
            "handoff.schema.json",
            content_type="application/schema+json",
        )
