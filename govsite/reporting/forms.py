"""The forms of the 信息报送 screens: the item itself (its section among the writer's own, an
active kind), and one small form per step on the item's page."""

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from . import rules
from .models import InstructionLevel, ItemKind, Outlet


class ItemForm(WagtailAdminModelForm):
    """撰写信息: the section is one the writer is an officer of; the kinds are the active
    ones (信息类别, data 综合科 keeps)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A plain list of the writer's own sections (Wagtail would offer the snippet chooser).
        self.fields["section"] = forms.ModelChoiceField(
            label="报送科室",
            queryset=rules.writes_for(self.for_user),
            empty_label=None,
            error_messages={"invalid_choice": "只能为自己担任信息员的科室撰写信息。"},
        )
        kinds = ItemKind.objects.filter(active=True)
        if self.instance.pk:  # a kind retired since stays on the items that have it
            kinds = ItemKind.objects.filter(pk=self.instance.kind_id) | kinds
        self.fields["kind"].queryset = kinds
        self.fields["kind"].empty_label = None
        if not self.is_bound and self.instance._state.adding and not self.instance.body:
            # A new item opens with one text block to type in, as a new article does.
            self.initial["body"] = self.fields["body"].block.to_python(
                [{"type": "paragraph", "value": ""}]
            )


class NoFields(forms.Form):
    pass


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="退回理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写退回的理由。"},
    )


class OutletForm(forms.Form):
    outlet = forms.ModelChoiceField(
        label="采用渠道",
        queryset=Outlet.objects.filter(active=True, own_site=False),
        empty_label=None,
        error_messages={"required": "请选择采用渠道。"},
    )
    adopted_on = forms.DateField(
        label="采用日期", widget=AdminDateInput, initial=timezone.localdate
    )
    note = forms.CharField(label="刊物期数或说明", max_length=200, required=False)


class InstructionForm(forms.Form):
    level = forms.ModelChoiceField(
        label="批示级别",
        queryset=InstructionLevel.objects.filter(active=True),
        empty_label=None,
        error_messages={"required": "请选择批示级别。"},
    )
    leader = forms.CharField(
        label="批示领导", max_length=100, error_messages={"required": "请填写批示领导。"}
    )
    instructed_on = forms.DateField(
        label="批示日期", widget=AdminDateInput, initial=timezone.localdate
    )
    text = forms.CharField(
        label="批示内容", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
