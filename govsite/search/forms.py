"""The public search form (SPEC §11): words, column, sub-column and a range of 发布时间."""

from django import forms

from govsite.columns.models import ColumnPage, SubColumnPage, structure_pages

from .query import Filters

DATE_ERROR = "日期格式不正确，请按“2026-01-31”的格式填写。"


class SearchForm(forms.Form):
    q = forms.CharField(label="检索词", required=False, max_length=200)
    column = forms.TypedChoiceField(
        label="栏目", required=False, coerce=int, empty_value=None, choices=()
    )
    sub = forms.TypedChoiceField(
        label="子栏目", required=False, coerce=int, empty_value=None, choices=()
    )
    start = forms.DateField(
        label="发布时间从",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DATE_ERROR},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label="至",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DATE_ERROR},
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The eight columns of the main navigation (as the site_columns context processor).
        self.columns = structure_pages(ColumnPage, depth=3, in_menu=True)
        self.fields["column"].choices = [("", "全部栏目")] + [(c.pk, c.title) for c in self.columns]
        chosen = self._chosen_column()
        self.sub_columns = structure_pages(SubColumnPage, parent=chosen) if chosen else []
        self.fields["sub"].choices = [("", "全部子栏目")] + [
            (s.pk, s.title) for s in self.sub_columns
        ]
        for name in ("column", "sub"):
            self.fields[name].error_messages["invalid_choice"] = "所选栏目不存在，请重新选择。"

    def _chosen_column(self):
        value = self.data.get("column") if self.is_bound else None
        return next((c for c in self.columns if str(c.pk) == value), None)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "结束日期不能早于开始日期。")
        return cleaned

    def filters(self):
        """The ``Filters`` of a valid form."""
        data = self.cleaned_data
        within = next((s for s in self.sub_columns if s.pk == data.get("sub")), None)
        within = within or next((c for c in self.columns if c.pk == data.get("column")), None)
        return Filters(within=within, start=data.get("start"), end=data.get("end"))
