"""The forms of the mailbox's admin (R-MAIL-2..5): one per step of a letter's handling, the
period of 整理上报 and the import of a returned 区长电子信箱 package.

They only read what the user typed. Whether the step may be taken, and whether what was typed
is acceptable (a reason given, a reply that passes screening, consent to publish…), is decided
by ``cases`` when the step is taken.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.http import urlencode

from govsite.exports.forms import PeriodForm
from govsite.sections.models import Section

from ..models import Letter, MailboxSettings, add_working_days

TEXT_MAX_LENGTH = 10_000
NOTE_MAX_LENGTH = 2_000
PACKAGE_MAX_BYTES = 2 * 1024 * 1024


def _textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows})


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecisionForm(forms.Form):
    """Two buttons, ``name="decision"``: which one was pressed."""

    DECISIONS = []
    decision = forms.ChoiceField(choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = self.DECISIONS


class ClassifyForm(forms.Form):
    """分类 (R-MAIL-2): 涉及办公室内部工作 or 涉及政府工作."""

    scope = forms.ChoiceField(label="性质", choices=Letter.Scope.choices, widget=forms.RadioSelect)


class CloseForm(forms.Form):
    """不予受理 (R-MAIL-2): invalid, or a duplicate of an earlier letter, with the reason."""

    INVALID, DUPLICATE = "invalid", "duplicate"

    kind = forms.ChoiceField(
        label="不予受理类型",
        choices=[(INVALID, "无效信件"), (DUPLICATE, "重复信件")],
        widget=forms.RadioSelect,
        initial=INVALID,
    )
    duplicate_of = forms.CharField(
        label="重复于（信件编号）",
        required=False,
        max_length=32,
        help_text="重复信件须填写先前那封信的编号，例如 GT-20261124-0001。",
    )
    reason = forms.CharField(label="理由", required=False, max_length=200, widget=_textarea(3))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != self.DUPLICATE:
            cleaned["duplicate_of"] = None
            return cleaned
        number = (cleaned.get("duplicate_of") or "").strip().upper()
        if not number:
            self.add_error("duplicate_of", "请填写重复信件的编号。")
            return cleaned
        earlier = Letter.objects.filter(tracking_number=number).first()
        if earlier is None:
            self.add_error("duplicate_of", f"没有编号为 {number} 的信件。")
        cleaned["duplicate_of"] = earlier
        return cleaned


class AssignForm(forms.Form):
    """交办 (R-MAIL-3): the responsible section and the deadline (default from 沟通信箱设置)."""

    section = forms.ModelChoiceField(
        label="承办科室", queryset=Section.objects.all(), empty_label="请选择科室"
    )
    deadline = forms.DateField(
        label="办理期限",
        required=False,
        widget=_date_input(),
    )

    def __init__(self, *args, letter=None, today=None, **kwargs):
        today = today or timezone.localdate()
        days = MailboxSettings.load().reply_working_days
        self.default_deadline = add_working_days(today, days)
        initial = kwargs.setdefault("initial", {})
        if letter is not None and letter.section_id:
            initial.setdefault("section", letter.section_id)
        if letter is not None and letter.deadline and letter.deadline >= today:
            initial.setdefault("deadline", letter.deadline)  # reassigned: the deadline kept
        initial.setdefault("deadline", self.default_deadline)
        super().__init__(*args, **kwargs)
        self.fields["deadline"].help_text = (
            f"留空则按沟通信箱设置：交办后 {days} 个工作日，即 "
            f"{self.default_deadline:%Y-%m-%d}（已扣除周末和节假日）。"
        )


class ExtensionRequestForm(forms.Form):
    """申请延期: the section asks 综合科 for more working days, with the reason."""

    days = forms.IntegerField(label="延期（工作日）", min_value=1, max_value=60, initial=3)
    reason = forms.CharField(label="延期理由", required=False, max_length=200, widget=_textarea(3))


class ExtensionDecisionForm(DecisionForm):
    """同意 / 不同意延期 (综合科)."""

    GRANT, REFUSE = "grant", "refuse"
    DECISIONS = [(GRANT, "同意延期"), (REFUSE, "不同意延期")]

    note = forms.CharField(
        label="意见", required=False, max_length=NOTE_MAX_LENGTH, widget=_textarea(2)
    )


class DraftForm(forms.Form):
    """拟写答复: the section's draft of the reply."""

    text = forms.CharField(
        label="答复草稿", required=False, max_length=TEXT_MAX_LENGTH, widget=_textarea(8)
    )


class ChiefReviewForm(DecisionForm):
    """科长审核 (第十四条): 通过, or 退回 with the changes wanted."""

    APPROVE, RETURN = "approve", "return"
    DECISIONS = [(APPROVE, "审核通过"), (RETURN, "退回修改")]

    note = forms.CharField(
        label="审核意见",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=_textarea(3),
        help_text="退回时必须写明修改意见；通过时可以不填。",
    )


class OfficeReviewForm(DecisionForm):
    """综合科拟定答复 (R-MAIL-5): the reply as it will go out, sent to 综合科's chief to sign off;
    or 退回 the draft to the section."""

    PREPARE, RETURN = "prepare", "return"
    DECISIONS = [(PREPARE, "提交科长签发"), (RETURN, "退回承办科室修改")]

    text = forms.CharField(
        label="答复内容",
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=_textarea(8),
        help_text="可以修改措辞；提交前会再做一次内容审查。",
    )
    department = forms.CharField(label="答复部门", required=False, max_length=100)
    publish = forms.BooleanField(label="在网站公开", required=False)
    note = forms.CharField(
        label="退回意见", required=False, max_length=NOTE_MAX_LENGTH, widget=_textarea(2)
    )

    def __init__(self, *args, letter, may_return, **kwargs):
        initial = kwargs.setdefault("initial", {})
        # A reply returned by the chief or the director comes back as it was worded.
        initial.setdefault("text", letter.reply or letter.draft_reply)
        initial.setdefault(
            "department",
            letter.reply_department or (letter.section.name if letter.section else ""),
        )
        initial.setdefault("publish", letter.consent_to_publish)
        super().__init__(*args, **kwargs)
        publish = self.fields["publish"]
        if letter.consent_to_publish:
            publish.help_text = "来信人同意公开：签发后信件和答复将隐去个人信息在网站公开。"
        else:
            publish.disabled = True
            publish.help_text = "来信人没有同意公开，不能在网站公开。"
        if not may_return:
            # A result from the 区长电子信箱 procedure is not sent back to a section.
            self.fields["decision"].choices = self.DECISIONS[:1]
            del self.fields["note"]


class SignOffForm(DecisionForm):
    """科长签发 (第十四条): 签发, or 退回 to 综合科's officer with the changes wanted."""

    SIGN_OFF, RETURN = "sign_off", "return"
    DECISIONS = [(SIGN_OFF, "签发"), (RETURN, "退回修改")]

    note = forms.CharField(
        label="意见",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=_textarea(3),
        help_text="退回时必须写明修改意见；签发时可以不填。",
    )


class DirectorReviewForm(SignOffForm):
    """主管主任审核答复 (第十四条, when 沟通信箱设置 asks for it): 通过, or 退回."""

    APPROVE = "approve"
    DECISIONS = [(APPROVE, "审核通过"), (SignOffForm.RETURN, "退回修改")]

    note = forms.CharField(
        label="审核意见",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=_textarea(3),
        help_text="退回时必须写明修改意见；通过时可以不填。",
    )


class ResultForm(forms.Form):
    """登记办理结果 (R-MAIL-4): what came back from the 区长电子信箱 procedure."""

    text = forms.CharField(
        label="办理结果", required=False, max_length=TEXT_MAX_LENGTH, widget=_textarea(6)
    )
    department = forms.CharField(label="办理单位", required=False, max_length=100)
    handled_at = forms.DateTimeField(
        label="办理时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )


class PublishForm(forms.Form):
    """公开 / 取消公开 of a replied letter."""

    publish = forms.TypedChoiceField(
        choices=[("1", "公开"), ("0", "取消公开")], coerce=lambda value: value == "1"
    )


class ReportForm(forms.Form):
    """整理上报 of one letter: a note such as to whom it was reported."""

    note = forms.CharField(
        label="上报说明",
        required=False,
        max_length=200,
        help_text="例如：报送办公室主任。打印件见“打印”。",
    )


class SummaryForm(PeriodForm):
    """The period and filters of the 整理上报 summary (R-MAIL-3)."""

    start = forms.DateField(label="来信日期自", widget=_date_input())
    end = forms.DateField(label="至（含）", widget=_date_input())
    scope = forms.ChoiceField(
        label="性质", required=False, choices=[("", "全部"), *Letter.Scope.choices]
    )
    section = forms.ModelChoiceField(
        label="承办科室", required=False, queryset=Section.objects.all(), empty_label="全部"
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *Letter.Status.choices]
    )
    kind = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部"), *Letter.Kind.choices]
    )

    def letters(self):
        """The letters received in the period that pass the filters, oldest first."""
        data = self.cleaned_data
        letters = Letter.objects.received_between(data["start"], data["end"])
        for name in ("scope", "section", "status", "kind"):
            if data.get(name):
                letters = letters.filter(**{name: data[name]})
        return letters.select_related("section").order_by("received_at", "pk")

    def conditions(self):
        """The filters in words, e.g. "性质：涉及办公室内部工作；承办科室：文书科"."""
        parts = []
        for name in ("scope", "section", "status", "kind"):
            value = self.cleaned_data.get(name)
            if value:
                shown = value if name == "section" else dict(self.fields[name].choices)[value]
                parts.append(f"{self.fields[name].label}：{shown}")
        return "；".join(parts)

    def values(self):
        """The form's values as the strings it is bound with: for the print and export links
        (``query``) and for the export job, which selects the same letters."""
        data = self.cleaned_data
        values = {"start": f"{data['start']:%Y-%m-%d}", "end": f"{data['end']:%Y-%m-%d}"}
        for name in ("scope", "status", "kind"):
            if data.get(name):
                values[name] = data[name]
        if data.get("section"):
            values["section"] = str(data["section"].pk)
        return values

    def query(self):
        """The form's values as a query string, for the print and export links."""
        return urlencode(self.values())


class HandoffImportForm(forms.Form):
    """导入办理结果 (R-MAIL-4): the package returned by the 区长电子信箱 procedure."""

    file = forms.FileField(
        label="转办包文件（JSON 格式）",
        help_text="区长电子信箱办理单位填写了办理结果后退回的转办包，格式见“转办包格式说明”。",
        error_messages={"required": "请选择要导入的文件。"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > PACKAGE_MAX_BYTES:
            raise ValidationError("文件过大：转办包一般只有几 KB，请确认选择了正确的文件。")
        return upload
