"""Where 监督考核 meets the admin: the menu 监督考核 with 考核得分, 领导看板 and 考核细则, each
shown to whoever may use it (``rules``), and their pages (``admin.urls``)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import rules
from .admin import urls
from .admin.rule_sets import rule_sets
from .admin.scores import MENU_LABEL


@hooks.register("register_admin_urls")
def register_assessment_urls():
    return [path("assessment/", include(urls))]


@hooks.register("register_admin_viewset")
def register_rule_set_viewset():
    return rule_sets


class RuleMenuItem(MenuItem):
    """A menu item shown when ``rule(user)`` says so."""

    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule

    def is_shown(self, request):
        return self.rule(request.user)


class AssessmentMenu(SubmenuMenuItem):
    def is_shown(self, request):
        return rules.may_view_scores(request.user)


@hooks.register("register_admin_menu_item")
def register_assessment_menu():
    items = [
        RuleMenuItem(
            "考核得分",
            reverse("assessment_scores"),
            name="assessment-scores",
            icon_name="pick",
            order=100,
            rule=rules.may_view_scores,
        ),
        RuleMenuItem(
            "领导看板",
            reverse("assessment_leaders"),
            name="assessment-leaders",
            icon_name="view",
            order=200,
            rule=rules.may_view_leaders_view,
        ),
        RuleMenuItem(
            "考核细则",
            reverse(rule_sets.get_url_name("index")),
            name="assessment-rule-sets",
            icon_name="list-ul",
            order=300,
            rule=rules.may_keep_rules,
        ),
    ]
    return AssessmentMenu(
        MENU_LABEL, Menu(items=items), name="assessment", icon_name="pick", order=450
    )
