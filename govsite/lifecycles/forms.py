"""The reviewer's decision on a reviewed request: 同意 or 退回, with an opinion that a return
must give. One form; each app words its help and what a return without an opinion is told."""

from django import forms

from . import APPROVE, RETURN

COMMENT_MAX_LENGTH = 2000


class DecisionForm(forms.Form):
    """同意 or 退回, with a comment; 退回 requires one. A subclass sets ``comment_help_text``
    and ``comment_missing`` (the sentence for a return without a comment)."""

    APPROVE = APPROVE
    RETURN = RETURN
    comment_help_text = ""
    comment_missing = ""

    decision = forms.ChoiceField(choices=[(APPROVE, "同意"), (RETURN, "退回")])
    comment = forms.CharField(
        label="审核意见",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = self.comment_help_text

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("comment"):
            self.add_error("comment", self.comment_missing)
        return cleaned
