"""Admin views of 专栏 applications (R-TOPIC-1): 我的申请 / 待我审核 / 新建申请, one application
with its record and the reviewer's 同意 / 退回, and the applicant's revision of a returned one.

Thin: who may do what is ``rules`` (for a filed application, its table
``lifecycle.APPLICATION``), what it does is ``actions``. The list, an application's page with
its record and decision, and the withdrawal are the shared screens of
``govsite.lifecycles.views``; this module gives them what is the applications' own (their
queries, rules, actions and sentences), and files and revises an application. A refusal is a
page saying why in Chinese (HTTP 403); bad content re-shows the form with what was typed and
the reason.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect

from govsite.lifecycles.views import ReviewAdminView, ReviewDetail, ReviewIndex, Withdrawal

from . import actions, lifecycle, rules
from .forms import ApplicationForm, DecisionForm
from .lifecycle import APPLICATION
from .models import Status, TopicApplication

MENU_LABEL = "专栏申请"


class TopicsAdminView(ReviewAdminView):
    header_icon = "folder-open-inverse"
    page_title = MENU_LABEL
    index_url_name = "govsite_topics:index"
    detail_url_name = "govsite_topics:detail"
    refused_template = "topics/admin/refused.html"
    record_name = "application"


class IndexView(ReviewIndex, TopicsAdminView):
    """待我审核, 我的申请 and, for 综合科-网站管理 and auditors, every application."""

    template_name = "topics/admin/index.html"

    def listing(self):
        return TopicApplication.objects.for_listing()

    def sees_every(self, user):
        return rules.sees_every_application(user)

    def listing_context(self):
        return {"may_apply": rules.may_apply(self.request.user)}


class ApplyView(TopicsAdminView):
    """新建申请: the form; valid content is filed and goes to the section's chief."""

    template_name = "topics/admin/apply.html"
    page_title = "新建专栏申请"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": "新建申请"}]

    def show(self, form):
        return self.render(self.template_name, form=form, media=form.media)

    def get(self, request):
        refusal = rules.refusal_to_apply(request.user)
        if refusal:
            return self.refuse(refusal)
        return self.show(ApplicationForm(user=request.user))

    def post(self, request):
        refusal = rules.refusal_to_apply(request.user)
        if refusal:
            return self.refuse(refusal)
        form = ApplicationForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, "申请未提交：请按提示修改后再提交，已填写的内容都保留着。")
            return self.show(form)
        try:
            application = actions.file_application(
                request.user, form.cleaned_data["section"], form.values()
            )
        except actions.Refused as refused:
            for field, message in refused.fields.items():
                form.add_error(field, message)
            if not refused.fields:
                return self.refuse(refused.message)
            return self.show(form)
        messages.success(
            request,
            f"已提交专栏申请《{application.title}》。下一步由{application.section.name}科长审核，"
            "再由综合科、主管主任审核；每一步的结果都会通知您。",
        )
        return redirect("govsite_topics:detail", application.pk)


class DetailView(ReviewDetail, TopicsAdminView):
    """One application: what is applied for, every step, and the buttons the table allows."""

    template_name = "topics/admin/detail.html"
    lifecycle = APPLICATION
    decision_form = DecisionForm
    may_view = staticmethod(rules.may_view)
    approve = staticmethod(actions.approve)
    return_record = staticmethod(actions.return_application)

    def records(self):
        return TopicApplication.objects.select_related("section", "requested_by", "banner", "topic")

    def get_page_title(self):
        return "专栏申请"

    def record_title(self):
        return self.record.title

    def record_label(self):
        return f"《{self.record.title}》"

    def detail_context(self):
        return {"chain": [stage.label for stage in rules.chain_of(self.record)]}

    @staticmethod
    def decision_message(application):
        if application.status == Status.RETURNED:
            return f"已退回专栏申请《{application.title}》，申请人会收到您的意见。"
        if application.status == Status.OPENED:
            return (
                f"已同意。专栏《{application.title}》已在“热点专题”下开设并发布，"
                f"由{application.section.name}负责维护。"
            )
        return f"已同意专栏申请《{application.title}》，转{application.get_status_display()[1:]}。"


class ReviseView(TopicsAdminView):
    """修改后重新提交: the applicant revises a returned application; it goes to the chief."""

    template_name = "topics/admin/apply.html"
    page_title = "修改专栏申请"

    def setup(self, request, pk):
        super().setup(request, pk)
        self.application = get_object_or_404(
            TopicApplication.objects.select_related("section"), pk=pk
        )

    def extra_breadcrumbs(self):
        return [{"url": "", "label": f"修改《{self.application.title}》"}]

    def refused(self):
        refusal = APPLICATION.refusal(lifecycle.RESUBMIT, self.request.user, self.application)
        if refusal:
            return self.refuse(refusal, application=self.application)
        return None

    def show(self, form):
        return self.render(
            self.template_name,
            form=form,
            media=form.media,
            application=self.application,
            returned=self.application.steps.filter(decision="returned").last(),
        )

    def get(self, request, pk):
        return self.refused() or self.show(
            ApplicationForm(instance=self.application, user=request.user)
        )

    def post(self, request, pk):
        refusal = self.refused()
        if refusal:
            return refusal
        form = ApplicationForm(
            request.POST, instance=TopicApplication.objects.get(pk=pk), user=request.user
        )
        if not form.is_valid():
            messages.error(request, "申请未提交：请按提示修改后再提交，已填写的内容都保留着。")
            return self.show(form)
        values = form.values()
        values.pop("section")
        try:
            application = actions.resubmit(self.application, request.user, values)
        except actions.Refused as refused:
            for field, message in refused.fields.items():
                form.add_error(field, message)
            if not refused.fields:
                return self.refuse(refused.message, application=self.application)
            return self.show(form)
        messages.success(
            request,
            f"已重新提交专栏申请《{application.title}》，由{application.section.name}科长重新审核。",
        )
        return redirect("govsite_topics:detail", application.pk)


class WithdrawView(Withdrawal, TopicsAdminView):
    model = TopicApplication
    withdraw = staticmethod(actions.withdraw)

    @staticmethod
    def withdrawn_message(application):
        return f"已撤回专栏申请《{application.title}》。"
