from django import forms

from govsite.lifecycles.forms import DecisionForm as ReviewDecisionForm

from .lifecycle import RETURN_NEEDS_COMMENT
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


class DecisionForm(ReviewDecisionForm):
    """同意 or 退回, with a comment; 退回 requires one saying why."""

    comment_help_text = "退回时必须填写意见，说明原因；同意时可以不填。意见会通知申请人并永久留存。"
    comment_missing = RETURN_NEEDS_COMMENT
