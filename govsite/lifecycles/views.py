"""The admin screens of a request decided by a chain of reviewers (a take-offline request in
``changes``, a 专栏 application in ``topics``), written once.

An app's screens subclass its own ``ReviewAdminView`` (its menu label, icon, URL names and
refusal page) with the mixins here: ``ReviewIndex`` (待我审核, 我的申请 and, for those who see
everything, every request, each a screen at a time), ``ReviewDetail`` (one request, its record
and the buttons its table allows; the reviewer's 同意 / 退回) and ``Withdrawal`` (the requester's
撤回). The app keeps what differs: its queries, its rules, its actions and its sentences.

Thin, like every admin view: who may do what is the app's table (``lifecycles.Lifecycle``) and
rules, what it does is the app's actions. A refusal, a crafted request's included, is a page
saying why in Chinese (HTTP 403), never a traceback.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import APPROVE, RETURN, Refused


class ReviewAdminView(WagtailAdminTemplateMixin, View):
    """An app's admin screen: breadcrumbs under its list, rendering, and its refusal page.

    A subclass sets ``page_title`` (the menu label), ``header_icon``, ``index_url_name``,
    ``detail_url_name``, ``refused_template`` and ``record_name`` (what its templates call one
    request)."""

    index_url_name = ""
    detail_url_name = ""
    refused_template = ""
    record_name = ""

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": self.page_title},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self):
        return []

    def render(self, template, status=200, **context):
        context = self.get_context_data(**context)
        return TemplateResponse(self.request, template, context, status=status)

    def refuse(self, message, **context):
        return self.render(self.refused_template, status=403, refusal=message, **context)

    def refuse_about(self, record, message):
        """The refusal page with its link back to ``record``."""
        return self.refuse(message, **{self.record_name: record})


class ReviewIndex:
    """待我审核, 我的申请 and, for whoever ``sees_every`` allows, every request; each
    ``per_screen`` at a time with its own page number (a number past the last shows the last):
    the same queries for ten requests and for ten thousand.

    The app gives ``listing()`` (its requests, with what a row shows), ``sees_every(user)`` and,
    if its list shows more, ``listing_context()``."""

    per_screen = 30

    def screen(self, records, parameter):
        screen = Paginator(records, self.per_screen).get_page(self.request.GET.get(parameter))
        screen.parameter = parameter
        return screen

    def listing_context(self):
        return {}

    def get(self, request):
        records = self.listing()
        return self.render(
            self.template_name,
            awaiting=self.screen(records.awaiting(request.user), "awaiting_p"),
            mine=self.screen(records.filed_by(request.user), "mine_p"),
            every=(self.screen(records.all(), "p") if self.sees_every(request.user) else None),
            **self.listing_context(),
        )


class ReviewDetail:
    """One request: what is asked for (the app's template), every step of its record, and the
    buttons its table (``lifecycle``) allows; the reviewer's 同意 / 退回 is posted here.

    The app gives ``records()`` (the queryset one request is read from), ``may_view(user,
    record)``, ``decision_form`` (its ``lifecycles.forms.DecisionForm``), ``approve(record, user,
    comment)`` and ``return_record(record, user, comment)`` (its actions),
    ``decision_message(record)`` (what the reviewer is told), ``record_title()`` and
    ``record_label()`` (the header's subtitle and the breadcrumb, shown only to whoever may see
    the request) and, if its page shows more, ``detail_context()``."""

    lifecycle = None
    decision_form = None

    def setup(self, request, pk):
        super().setup(request, pk)
        self.record = get_object_or_404(self.records(), pk=pk)

    def dispatch(self, request, *args, **kwargs):
        self.visible = self.may_view(request.user, self.record)
        if not self.visible:
            return self.refuse("您无权查看该申请。")
        return super().dispatch(request, *args, **kwargs)

    def detail_context(self):
        return {}

    def get_page_subtitle(self):
        # Not even the title is shown to whoever may not see the request.
        return self.record_title() if self.visible else ""

    def extra_breadcrumbs(self):
        return [{"url": "", "label": self.record_label()}] if self.visible else []

    def show(self, form=None, status=200):
        user, record = self.request.user, self.record
        offered = {
            action
            for action in self.lifecycle.actions
            if self.lifecycle.allows(action, user, record)
        }
        may_decide = bool(offered & {APPROVE, RETURN})
        return self.render(
            self.template_name,
            status=status,
            steps=record.steps.select_related("actor"),
            form=form or (self.decision_form() if may_decide else None),
            offered=offered,
            may_decide=may_decide,
            **{self.record_name: record},
            **self.detail_context(),
        )

    def get(self, request, pk):
        return self.show()

    def post(self, request, pk):
        returning = request.POST.get("decision") == self.decision_form.RETURN
        action = RETURN if returning else APPROVE
        refusal = self.lifecycle.refusal(action, request.user, self.record)
        if refusal:
            return self.refuse_about(self.record, refusal)
        form = self.decision_form(request.POST)
        if not form.is_valid():
            messages.error(request, "请按提示修改后再提交。")
            return self.show(form=form)
        approving = form.cleaned_data["decision"] == form.APPROVE
        decide = self.approve if approving else self.return_record
        try:
            record = decide(self.record, request.user, form.cleaned_data["comment"])
        except Refused as refused:
            return self.refuse_about(self.record, refused.message)
        messages.success(request, self.decision_message(record))
        return redirect(self.index_url_name)


class Withdrawal:
    """The requester takes back a request (撤回), then sees it again.

    The app gives ``model``, ``withdraw(record, user)`` (its action) and
    ``withdrawn_message(record)``."""

    model = None

    def post(self, request, pk):
        record = get_object_or_404(self.model, pk=pk)
        try:
            self.withdraw(record, request.user)
        except Refused as refused:
            return self.refuse_about(record, refused.message)
        messages.success(request, self.withdrawn_message(record))
        return redirect(self.detail_url_name, pk)
