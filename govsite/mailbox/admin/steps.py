"""The steps a user may take on a letter from its page (R-MAIL-2..5): each a form and the
``cases`` function that takes it.

A step is offered exactly when the letter's table allows one of its actions to the user now
(``lifecycle.LETTER``): the same table the ``cases`` function asks before it changes anything,
so that a button is shown if and only if pressing it would be accepted.
"""

from django import forms as django_forms

from .. import cases, lifecycle, rules
from ..lifecycle import LETTER
from ..models import Letter
from . import forms


def office_name(user):
    """The section owning 沟通信箱, as the messages name it."""
    section = rules.mailbox_section(user)
    return section.name if section else "综合科"


class Step:
    """One form on the letter's page. ``actions`` are the table's actions it takes: the first is
    the step's own, and the step is shown when the table allows it; the others are alternatives
    its form offers beside it (科长审核: approve, or return), when the table allows them too
    (tests/test_lifecycle.py reads the page for every state, role and action)."""

    name = ""
    title = ""
    actions = ()
    form_class = None
    template_name = "mailbox/admin/steps/form.html"
    submit_label = "提交"

    def shown(self, user, letter):
        return LETTER.allows(self.actions[0], user, letter)

    def heading(self, letter):
        return self.title

    def form(self, letter, user, data=None):
        # Prefixed: several steps' forms share one page, and field names such as "note".
        return self.form_class(data, prefix=self.name, **self.form_kwargs(letter, user))

    def form_kwargs(self, letter, user):
        return {}

    def take(self, letter, user, data):
        """Take the step with the cleaned data; return the success message."""
        raise NotImplementedError


class Classify(Step):
    name, title, form_class = "classify", "分类", forms.ClassifyForm
    actions = (lifecycle.CLASSIFY,)
    submit_label = "确定分类"

    def form_kwargs(self, letter, user):
        return {"initial": {"scope": letter.scope or None}}

    def take(self, letter, user, data):
        cases.classify(letter, user, data["scope"])
        return f"已分类为“{Letter.Scope(data['scope']).label}”。"


class Close(Step):
    name, title, form_class = "close", "不予受理", forms.CloseForm
    actions = (lifecycle.CLOSE_INVALID, lifecycle.CLOSE_DUPLICATE)
    submit_label = "不予受理"

    def take(self, letter, user, data):
        cases.close(letter, user, data["reason"], duplicate_of=data["duplicate_of"])
        return f"已不予受理（{letter.get_status_display()}）。"


class Assign(Step):
    name, title, form_class = "assign", "交办", forms.AssignForm
    actions = (lifecycle.ASSIGN,)
    submit_label = "交办"

    def heading(self, letter):
        """交办, or 重新交办 once assigned: the table's label from the letter's state."""
        row = LETTER.row(lifecycle.ASSIGN, letter.status)
        return row.label if row else self.title

    def form_kwargs(self, letter, user):
        return {"letter": letter}

    def take(self, letter, user, data):
        cases.assign(letter, user, data["section"], data["deadline"])
        return f"已交{letter.section.name}办理，办理期限 {letter.deadline:%Y-%m-%d}。"


class Forward(Step):
    name, title, form_class = "forward", "转区长电子信箱", django_forms.Form
    actions = (lifecycle.FORWARD,)
    template_name = "mailbox/admin/steps/forward.html"
    submit_label = "登记转办"

    def take(self, letter, user, data):
        cases.forward(letter, user)
        return "已登记转区长电子信箱。请下载或打印转办包，按区长电子信箱程序报送。"


class RequestExtension(Step):
    name, title, form_class = "extension", "申请延期", forms.ExtensionRequestForm
    actions = (lifecycle.REQUEST_EXTENSION,)
    submit_label = "申请延期"

    def take(self, letter, user, data):
        cases.request_extension(letter, user, data["days"], data["reason"])
        return f"已申请延期，等待{office_name(user)}审批。"


class DecideExtension(Step):
    name, title, form_class = "extension-decision", "延期审批", forms.ExtensionDecisionForm
    actions = (lifecycle.DECIDE_EXTENSION,)
    template_name = "mailbox/admin/steps/decision.html"

    def take(self, letter, user, data):
        grant = data["decision"] == forms.ExtensionDecisionForm.GRANT
        cases.decide_extension(letter, user, grant, data["note"])
        if grant:
            return f"已同意延期，新的办理期限 {letter.deadline:%Y-%m-%d}。"
        return "已不同意延期，维持原办理期限。"


class Draft(Step):
    name, title, form_class = "draft", "拟写答复", forms.DraftForm
    actions = (lifecycle.DRAFT,)
    submit_label = "提交科长审核"

    def form_kwargs(self, letter, user):
        return {"initial": {"text": letter.draft_reply}}

    def take(self, letter, user, data):
        cases.draft(letter, user, data["text"])
        return "答复草稿已提交科长审核。"


class ChiefReview(Step):
    name, title, form_class = "chief-review", "科长审核", forms.ChiefReviewForm
    actions = (lifecycle.APPROVE, lifecycle.RETURN)
    template_name = "mailbox/admin/steps/decision.html"

    def take(self, letter, user, data):
        if data["decision"] == forms.ChiefReviewForm.APPROVE:
            cases.approve(letter, user, data["note"])
            return f"答复已审核通过，已送{office_name(user)}拟定正式答复。"
        cases.return_draft(letter, user, data["note"])
        return "已退回承办科室修改。"


class OfficeReview(Step):
    name, title, form_class = "office-review", "拟定答复", forms.OfficeReviewForm
    actions = (lifecycle.PREPARE, lifecycle.RETURN)
    template_name = "mailbox/admin/steps/decision.html"

    def form_kwargs(self, letter, user):
        # 退回修改 is offered when the table allows it: a result from the 区长电子信箱
        # procedure is not sent back to a section.
        return {"letter": letter, "may_return": LETTER.allows(lifecycle.RETURN, user, letter)}

    def take(self, letter, user, data):
        if data["decision"] == forms.OfficeReviewForm.RETURN:
            cases.return_draft(letter, user, data.get("note", ""))
            return "已退回承办科室修改。"
        cases.prepare_reply(
            letter, user, text=data["text"], department=data["department"], publish=data["publish"]
        )
        return f"答复已提交，待{office_name(user)}科长签发。"


def sent(letter):
    """What happened once a reply was let go: sent, and published or not."""
    if letter.published:
        return "答复已发送并在网站公开。"
    return "答复已发送，来信人可凭查询码查看（不在网站公开）。"


def returned(user):
    return f"已退回，待{office_name(user)}信息员修改答复。"


class SignOff(Step):
    name, title, form_class = "sign-off", "科长签发", forms.SignOffForm
    actions = (lifecycle.SIGN_OFF, lifecycle.RETURN_REPLY)
    template_name = "mailbox/admin/steps/sign_off.html"

    def take(self, letter, user, data):
        if data["decision"] == forms.SignOffForm.RETURN:
            cases.return_reply(letter, user, data["note"])
            return returned(user)
        cases.sign_off(letter, user, data["note"])
        if letter.status == Letter.Status.DIRECTOR_REVIEW:
            return "已签发，待主管主任审核答复。"
        return "已签发，" + sent(letter)


class DirectorReview(Step):
    name, title, form_class = "director-review", "主管主任审核答复", forms.DirectorReviewForm
    actions = (lifecycle.APPROVE_REPLY, lifecycle.RETURN_REPLY)
    template_name = "mailbox/admin/steps/sign_off.html"

    def take(self, letter, user, data):
        if data["decision"] == forms.DirectorReviewForm.RETURN:
            cases.return_reply(letter, user, data["note"])
            return returned(user)
        cases.approve_reply(letter, user, data["note"])
        return "已审核通过，" + sent(letter)


class RecordResult(Step):
    name, title, form_class = "result", "登记办理结果", forms.ResultForm
    actions = (lifecycle.RECORD_RESULT,)
    submit_label = "登记"

    def take(self, letter, user, data):
        cases.record_result(letter, user, data["text"], data["department"], data["handled_at"])
        return "已登记办理结果。请拟定答复，送科长签发。"


class Publish(Step):
    name, title, form_class = "publish", "网站公开", forms.PublishForm
    actions = (lifecycle.PUBLISH,)
    template_name = "mailbox/admin/steps/publish.html"

    def take(self, letter, user, data):
        cases.set_published(letter, user, data["publish"])
        return "已在网站公开。" if letter.published else "已取消公开。"


class Report(Step):
    name, title, form_class = "report", "整理上报", forms.ReportForm
    actions = (lifecycle.REPORT,)
    template_name = "mailbox/admin/steps/report.html"
    submit_label = "登记上报"

    def take(self, letter, user, data):
        cases.report(letter, user, data["note"])
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
        SignOff(),
        DirectorReview(),
        Publish(),
        Report(),
    )
}
