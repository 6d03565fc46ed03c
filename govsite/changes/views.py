"""Admin views of unpublishing and deletion requests (R-FLOW-5, R-FLOW-6).

Thin: who may do what is ``rules`` (for a filed request, its table ``lifecycle.REQUEST``), what
it does is ``actions``. A refusal, including one
for a crafted request, is a page saying why in Chinese (HTTP 403), never a traceback. There
is no edit or delete view: the record is append-only (R-FLOW-4).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from govsite.sections.rules import owning_section

from . import actions, lifecycle, rules
from .forms import DecisionForm, RequestForm
from .lifecycle import REQUEST
from .models import ChangeKind, ChangeRequest, ChangeStatus

MENU_LABEL = "撤销/删除申请"


class ChangesAdminView(WagtailAdminTemplateMixin, View):
    header_icon = "history"
    page_title = MENU_LABEL

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("govsite_changes:index"), "label": MENU_LABEL},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self):
        return []

    def render(self, template, status=200, **context):
        context = self.get_context_data(**context)
        return TemplateResponse(self.request, template, context, status=status)

    def refuse(self, message, **context):
        return self.render("changes/refused.html", status=403, refusal=message, **context)


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


class IndexView(ChangesAdminView):
    """待我审核 and 我提交的申请 (and, for auditors, every request), each ``per_screen`` at a
    time with its own page number: the same queries for ten requests and for ten thousand."""

    template_name = "changes/index.html"
    per_screen = 30

    def screen(self, requests, parameter):
        """One screen of ``requests``; a page number past the last shows the last."""
        screen = Paginator(requests, self.per_screen).get_page(self.request.GET.get(parameter))
        screen.parameter = parameter
        return screen

    def get(self, request):
        requests = ChangeRequest.objects.for_listing()
        return self.render(
            self.template_name,
            awaiting=self.screen(requests.awaiting(request.user), "awaiting_p"),
            mine=self.screen(requests.filed_by(request.user), "mine_p"),
            every=(
                self.screen(requests.all(), "p") if rules.sees_every_request(request.user) else None
            ),
        )


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


class DetailView(ChangesAdminView):
    """One request: the page, the reason, every step, and the reviewer's 同意 / 退回."""

    template_name = "changes/detail.html"

    def setup(self, request, pk):
        super().setup(request, pk)
        self.change_request = get_object_or_404(
            ChangeRequest.objects.select_related("page", "requested_by"), pk=pk
        )

    def get_page_title(self):
        return f"{self.change_request.kind_label}申请"

    def get_page_subtitle(self):
        return self.change_request.page.get_admin_display_title()

    def extra_breadcrumbs(self):
        return [{"url": "", "label": f"{self.get_page_title()}：《{self.get_page_subtitle()}》"}]

    def dispatch(self, request, *args, **kwargs):
        if not rules.may_view(request.user, self.change_request):
            return self.refuse("您无权查看该申请。")
        return super().dispatch(request, *args, **kwargs)

    def show(self, form=None, status=200):
        user = self.request.user
        change_request = self.change_request
        page = change_request.page.specific
        # The buttons the table allows: 同意, 退回 (the reviewer), 撤回申请 (the requester).
        offered = {
            action for action in REQUEST.actions if REQUEST.allows(action, user, change_request)
        }
        may_decide = bool(offered & {lifecycle.APPROVE, lifecycle.RETURN})
        return self.render(
            self.template_name,
            status=status,
            change_request=change_request,
            page=page,
            section=owning_section(page),
            steps=change_request.steps.select_related("actor"),
            form=form or (DecisionForm() if may_decide else None),
            offered=offered,
            may_decide=may_decide,
            review_in_progress=change_request.is_open and page.current_workflow_state,
            retention=getattr(change_request, "retention", None)
            if change_request.status == ChangeStatus.DONE
            else None,
            **page_links(page, user),
        )

    def get(self, request, pk):
        return self.show()

    def post(self, request, pk):
        returning = request.POST.get("decision") == DecisionForm.RETURN
        action = lifecycle.RETURN if returning else lifecycle.APPROVE
        refusal = REQUEST.refusal(action, request.user, self.change_request)
        if refusal:
            return self.refuse(refusal, change_request=self.change_request)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请按提示修改后再提交。")
            return self.show(form=form)
        approving = form.cleaned_data["decision"] == form.APPROVE
        decide = actions.approve if approving else actions.return_request
        try:
            change_request = decide(self.change_request, request.user, form.cleaned_data["comment"])
        except actions.Refused as refused:
            return self.refuse(refused.message, change_request=self.change_request)
        messages.success(request, decision_message(change_request))
        return redirect("govsite_changes:index")


def decision_message(change_request):
    title = change_request.page.get_admin_display_title()
    if change_request.status == ChangeStatus.RETURNED:
        return f"已退回《{title}》的{change_request.kind_label}申请，申请人会收到您的意见。"
    if change_request.status == ChangeStatus.AWAITING_DIRECTOR:
        return f"已同意《{title}》的{change_request.kind_label}申请，转主管主任审核。"
    if change_request.kind == ChangeKind.DELETE:
        return f"已同意。《{title}》已从网站删除（留存）：页面及其历史保留在系统中，并已锁定。"
    return f"已同意。《{title}》已撤销发布，网站上不再显示。"


class WithdrawView(ChangesAdminView):
    """The requester takes back an undecided request."""

    def post(self, request, pk):
        change_request = get_object_or_404(ChangeRequest, pk=pk)
        try:
            actions.withdraw(change_request, request.user)
        except actions.Refused as refused:
            return self.refuse(refused.message, change_request=change_request)
        messages.success(
            request,
            f"已撤回《{change_request.page.get_admin_display_title()}》的"
            f"{change_request.kind_label}申请。",
        )
        return redirect("govsite_changes:detail", pk)
