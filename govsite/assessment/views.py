"""栏目更新情况 (第十五条; R-ASSESS-1): every assessed sub-column with its owner, rule, last
update, due date and state; a section's staff see their own columns by default, a director the
sections they supervise, 综合科 the office with its counts against the 单项否决 lines. The owners
of a column kept by review record "已复核，内容仍准确" here.

The screen reads one ``freshness.snapshot`` (a fixed number of queries) and filters it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from govsite.columns.models import SubColumnPage
from govsite.sections.models import Section

from . import freshness, rules

MENU_LABEL = "监督考核"
TITLE = "栏目更新情况"
GUIDE = "freshness"

MINE, ALL = "mine", "all"
STATE_CHOICES = [
    ("", "全部"),
    (freshness.OVERDUE, "已超期"),
    ("stale", "长期未更新"),
    (freshness.BLANK, "空白"),
    (freshness.DUE_SOON, "即将到期"),
    (freshness.OK, "正常"),
]
LEVEL_LABELS = {
    freshness.LEVEL_OK: "正常",
    freshness.LEVEL_WARNING: "预警",
    freshness.LEVEL_VETO: "已达否决线",
}


def freshness_url(**params):
    query = "&".join(f"{key}={value}" for key, value in params.items() if value)
    return reverse("assessment_freshness") + (f"?{query}" if query else "")


class FilterForm(forms.Form):
    section = forms.ChoiceField(label="负责科室", required=False)
    state = forms.ChoiceField(label="状态", required=False, choices=STATE_CHOICES)

    def __init__(self, data, *, sections, own_label=None, **kwargs):
        super().__init__(data, **kwargs)
        choices = [(MINE, own_label)] if own_label else []
        choices += [(ALL, "全部科室")] + [(str(s.pk), s.name) for s in sections]
        self.fields["section"].choices = choices


class FreshnessView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "assessment/freshness.html"
    page_title = TITLE
    header_icon = "time"

    def dispatch(self, request, *args, **kwargs):
        if not rules.may_view_freshness(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "首页"},
            {"url": "", "label": TITLE},
        ]

    @property
    def header_buttons(self):
        buttons = [
            HeaderButton(
                "帮助：栏目更新",
                url=reverse("govsite_guides:guide", args=[GUIDE]),
                icon_name="help",
                priority=30,
            )
        ]
        if rules.may_edit_rules(self.request.user):
            buttons.append(
                HeaderButton(
                    "更新要求", url=reverse("assessment_rules:index"), icon_name="cog", priority=10
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        sections = Section.objects.in_bulk()
        ordered = sorted(sections.values(), key=lambda s: (s.sort_order, s.pk))
        own = {section.pk for section in rules.own_sections(user)}
        office = rules.sees_office(user)
        default = MINE if own and not office else ALL
        data = {"section": self.request.GET.get("section") or default}
        data["state"] = self.request.GET.get("state", "")
        form = FilterForm(data, sections=ordered, own_label=own and rules.own_label(user))
        chosen, state = default, ""
        if form.is_valid():
            chosen, state = form.cleaned_data["section"] or default, form.cleaned_data["state"]

        snap = freshness.snapshot()
        states = snap.states
        if chosen == MINE:
            states = [s for s in states if s.section_id in own]
        elif chosen != ALL:
            states = [s for s in states if str(s.section_id) == chosen]
        totals = freshness.counts(states)
        if state == "stale":
            states = [s for s in states if s.stale]
        elif state:
            states = [s for s in states if s.state == state]
        rows = [
            {
                "state": s,
                "may_review": s.by_review
                and s.state != freshness.BLANK
                and rules.may_review_for(user, sections.get(s.section_id)),
            }
            for s in freshness.by_urgency(states)
        ]
        context.update(
            {
                "form": form,
                "rows": rows,
                "totals": totals,
                "office": freshness.office_counts(snap=snap) if office else None,
                "level_labels": LEVEL_LABELS,
                "today": snap.at,
                "current_url": self.request.get_full_path(),
            }
        )
        return context


class ReviewView(View):
    """POST: "已复核，内容仍准确" for a column kept by review; the message says the new due date."""

    http_method_names = ["post"]

    def post(self, request, column_id):
        column = get_object_or_404(
            SubColumnPage.objects.select_related("owner_section"), pk=column_id
        )
        back = request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
            back = ""
        back = back or freshness_url()
        try:
            state = freshness.record_review(column, request.user)
        except freshness.ReviewRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(back)
        if state is not None and state.due is not None:
            messages.success(
                request,
                f"已记录复核：栏目“{column.title}”内容仍准确，"
                f"下次应在 {state.due:%Y年%m月%d日} 前更新或再次复核。",
            )
        else:
            messages.success(request, f"已记录复核：栏目“{column.title}”。")
        return redirect(back)
