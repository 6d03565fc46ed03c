"""The forms of the 专栏 application screens: what is applied for, and a reviewer's decision.
Bad content is refused field by field with the rule and the fix (``rules.problems``); what was
typed stays in the form."""

from django import forms
from django.utils import timezone
from wagtail.admin.widgets import AdminDateInput
from wagtail.images.widgets import AdminImageChooser

from govsite.lifecycles.forms import DecisionForm as ReviewDecisionForm

from . import rules
from .lifecycle import RETURN_NEEDS_COMMENT
from .models import TopicApplication


class ApplicationForm(forms.ModelForm):
    """专栏申请: 申请科室, 专栏名称, 开设目的, 起止日期, 横幅图片, 板块, 网址名称."""

    class Meta:
        model = TopicApplication
        fields = ["section", "title", "purpose", "starts_on", "ends_on", "banner", "boards", "slug"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "boards": forms.Textarea(attrs={"rows": 4}),
            "starts_on": AdminDateInput(),
            "ends_on": AdminDateInput(),
            "banner": AdminImageChooser(),
        }
        error_messages = {
            "title": {"required": "请填写专栏名称。"},
            "purpose": {"required": "请填写开设目的。"},
            "boards": {"required": "请至少填写一个板块，每行一个。"},
            "slug": {
                "required": "请填写网址名称。",
                "invalid": "网址名称只能用小写字母、数字和连字符（如 yshj），请修改。",
            },
            "section": {"required": "请选择申请科室。"},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = rules.sections_to_apply_for(user)
        self.fields["section"].empty_label = None
        if self.instance.pk:
            # A revision keeps the section that applied.
            self.fields["section"].disabled = True
        self.fields["starts_on"].error_messages["invalid"] = "开始日期格式不对，应为 2026-01-31。"
        self.fields["ends_on"].error_messages["invalid"] = "结束日期格式不对，应为 2026-12-31。"

    def clean_slug(self):
        return (self.cleaned_data.get("slug") or "").strip().lower()

    def clean(self):
        cleaned = super().clean()
        exclude = self.instance if self.instance.pk else None
        found = rules.problems(cleaned, timezone.localdate(), exclude=exclude)
        for field, message in found.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def values(self):
        return {field: self.cleaned_data.get(field) for field in self.Meta.fields}


class DecisionForm(ReviewDecisionForm):
    """同意 or 退回, with an opinion; 退回 requires one saying why and what to change."""

    comment_help_text = (
        "退回时必须填写意见，说明原因和修改要求；同意时可以不填。意见会通知申请人并永久留存。"
    )
    comment_missing = RETURN_NEEDS_COMMENT
