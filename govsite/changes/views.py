"""Admin views of unpublishing and deletion requests (R-FLOW-5, R-FLOW-6).

Thin: who may do what is ``rules`` (for a filed request, its table ``lifecycle.REQUEST``), what
it does is ``actions``. The list, a request's page with its record and decision, and the
withdrawal are the shared screens of ``govsite.lifecycles.views``; this module gives them what
is the requests' own (their queries, rules, actions and sentences) and files a request. A
refusal, including one for a crafted request, is a page saying why in Chinese (HTTP 403), never
a traceback. There is no edit or delete view: the record is append-only (R-FLOW-4).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from wagtail.models import Page

from govsite.lifecycles.views import ReviewAdminView, ReviewDetail, ReviewIndex, Withdrawal
from govsite.sections.rules import owning_section

from . import actions, rules
from .forms import DecisionForm, RequestForm
from .lifecycle import REQUEST
from .models import ChangeKind, ChangeRequest, ChangeStatus

MENU_LABEL = "撤销/删除申请"


class ChangesAdminView(ReviewAdminView):
    header_icon = "history"
    page_title = MENU_LABEL
    index_url_name = "govsite_changes:index"
    detail_url_name = "govsite_changes:detail"
    refused_template = "changes/refused.html"
    record_name = "change_request"


def page_links(page, user):
    """Where a reviewer or requester can look at the page itself."""
    perms = page.permissions_for_user(user)
    return {
        "public_url": page.get_url() if page.live else "",
        "edit_url": (
            reverse("wagtailadmin_pages:edit", args=[page.pk])
            if perms.can_edit() and not rules.is_retained(page)
            else ""
        ),
        "history_url": (
            reverse("wagtailadmin_pages:history", args=[page.pk]) if perms.can_edit() else ""
        ),
    }


class IndexView(ReviewIndex, ChangesAdminView):
    """待我审核 and 我提交的申请 (and, for auditors, every request)."""

    template_name = "changes/index.html"

    def listing(self):
        return ChangeRequest.objects.for_listing()

    def sees_every(self, user):
        return rules.sees_every_request(user)


class FileRequestView(ChangesAdminView):
    """申请撤销发布 / 申请删除: a reason, then the request goes to the chief."""

    template_name = "changes/file.html"

    def setup(self, request, page_id, kind):
        super().setup(request, page_id, kind)
        if kind not in ChangeKind.values:
            raise Http404
        self.kind = ChangeKind(kind)
        self.page = get_object_or_404(Page, pk=page_id).specific

    def get_page_title(self):
        return f"申请{self.kind.label}"

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def extra_breadcrumbs(self):
        title = self.page.get_admin_display_title()
        return [{"url": "", "label": f"申请{self.kind.label}：《{title}》"}]

    def refused(self):
        message = rules.refusal_to_file(self.request.user, self.page, self.kind)
        if message is None:
            return None
        pending = ChangeRequest.objects.open_for(self.page).first()
        if pending is not None and not rules.may_view(self.request.user, pending):
            pending = None
        return self.refuse(message, page=self.page, pending=pending)

    def show_form(self, form):
        return self.render(
            self.template_name,
            form=form,
            page=self.page,
            kind=self.kind,
            section=owning_section(self.page),
            **page_links(self.page, self.request.user),
        )

    def get(self, request, page_id, kind):
        return self.refused() or self.show_form(RequestForm())

    def post(self, request, page_id, kind):
        refusal = self.refused()
        if refusal:
            return refusal
        form = RequestForm(request.POST)
        if not form.is_valid():
            return self.show_form(form)
        try:
            change_request = actions.file_request(
                request.user, self.page, self.kind, form.cleaned_data["reason"]
            )
        except actions.Refused as refused:
            return self.refuse(refused.message, page=self.page)
        section = owning_section(self.page)
        messages.success(
            request,
            f"已提交{self.kind.label}申请：《{self.page.get_admin_display_title()}》。"
            f"下一步由{section.name}科长审核，再由主管主任审核；审核结果会通知您。"
            "在此之前页面保持原状。",
        )
        return redirect("govsite_changes:detail", change_request.pk)


class DetailView(ReviewDetail, ChangesAdminView):
    """One request: the page, the reason, every step, and the reviewer's 同意 / 退回."""

    template_name = "changes/detail.html"
    lifecycle = REQUEST
    decision_form = DecisionForm
    may_view = staticmethod(rules.may_view)
    approve = staticmethod(actions.approve)
    return_record = staticmethod(actions.return_request)

    def records(self):
        return ChangeRequest.objects.select_related("page", "requested_by")

    def get_page_title(self):
        return f"{self.record.kind_label}申请"

    def record_title(self):
        return self.record.page.get_admin_display_title()

    def record_label(self):
        return f"{self.get_page_title()}：《{self.record_title()}》"

    def detail_context(self):
        change_request = self.record
        page = change_request.page.specific
        return {
            "page": page,
            "section": owning_section(page),
            "review_in_progress": change_request.is_open and page.current_workflow_state,
            "retention": getattr(change_request, "retention", None)
            if change_request.status == ChangeStatus.DONE
            else None,
            **page_links(page, self.request.user),
        }

    @staticmethod
    def decision_message(change_request):
        title = change_request.page.get_admin_display_title()
        if change_request.status == ChangeStatus.RETURNED:
            return f"已退回《{title}》的{change_request.kind_label}申请，申请人会收到您的意见。"
        if change_request.status == ChangeStatus.AWAITING_DIRECTOR:
            return f"已同意《{title}》的{change_request.kind_label}申请，转主管主任审核。"
        if change_request.kind == ChangeKind.DELETE:
            return f"已同意。《{title}》已从网站删除（留存）：页面及其历史保留在系统中，并已锁定。"
        return f"已同意。《{title}》已撤销发布，网站上不再显示。"


class WithdrawView(Withdrawal, ChangesAdminView):
    """The requester takes back an undecided request."""

    model = ChangeRequest
    withdraw = staticmethod(actions.withdraw)

    @staticmethod
    def withdrawn_message(change_request):
        return (
            f"已撤回《{change_request.page.get_admin_display_title()}》的"
            f"{change_request.kind_label}申请。"
        )
