"""考核细则: 综合科 keeps the rule sets (``RuleSet`` with its ``ScoreRule`` rows) as data
(第二十二条; R-ASSESS-2). A rule set whose weights do not add up to its full marks is refused
with the sum it came to; its start is the 1st of a month; one that a closed month was scored
by is never deleted (its scores name it)."""

from django.contrib.auth import get_user_model
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from .. import rules, scoring
from ..models import ClosedMonth, RuleSet


class RuleSetForm(WagtailAdminModelForm):
    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        return scoring.month_of(day) if day else day

    def is_valid(self):
        valid = super().is_valid()
        if not valid or "rules" not in self.formsets:
            return valid
        weights, measures = [], []
        for form in self.formsets["rules"].forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            weights.append(data.get("weight") or 0)
            measures.append(data.get("measure"))
        if len(set(measures)) != len(measures):
            self.add_error(None, "同一考核项目只能出现一次，请合并后再保存。")
            return False
        problem = scoring.weights_problem(self.cleaned_data.get("full_marks") or 0, weights)
        if problem:
            self.add_error(None, problem)
            return False
        return True


class RuleSetPermissionPolicy(BasePermissionPolicy):
    """``rules.may_keep_rules`` for every action; a rule set that scored a closed month is not
    deleted."""

    def user_has_permission(self, user, action):
        return rules.may_keep_rules(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and ClosedMonth.objects.filter(rule_set=instance).exists():
            return False
        return self.user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.none()


class RuleSetViewSet(ModelViewSet):
    model = RuleSet
    name = "assessment_rule_sets"
    url_prefix = "assessment/rule-sets"
    icon = "list-ul"
    menu_label = "考核细则"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = None
    list_display = ["name", "effective_from", "full_marks"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("effective_from"),
            FieldPanel("full_marks"),
            FieldPanel("note"),
            InlinePanel("rules", label="考核项目", min_num=1),
        ],
        base_form_class=RuleSetForm,
    )


register_permission_policy(RuleSet, RuleSetPermissionPolicy(RuleSet))
rule_sets = RuleSetViewSet()
