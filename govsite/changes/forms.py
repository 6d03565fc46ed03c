from django import forms

from .models import ChangeRequest

REASON_MAX_LENGTH = 2000


class RequestForm(forms.Form):
    """The reason of an unpublishing or deletion request (required)."""

    reason = forms.CharField(
        label="理由",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=ChangeRequest._meta.get_field("reason").help_text,
        error_messages={"required": "请填写理由。"},
    )


class DecisionForm(forms.Form):
    """同意 or 退回, with a comment; 退回 requires one."""

    APPROVE = "approve"
    RETURN = "return"

    decision = forms.ChoiceField(choices=[(APPROVE, "同意"), (RETURN, "退回")])
    comment = forms.CharField(
        label="审核意见",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回时必须填写意见，说明原因；同意时可以不填。意见会通知申请人并永久留存。",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("comment"):
            self.add_error("comment", "退回必须填写意见，说明原因。")
        return cleaned
