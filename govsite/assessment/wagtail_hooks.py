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


# The 监督考核 menu is built from its own hook, so that each part of the assessment (栏目更新,
# 双百考核 …) adds its items without editing the others' (the same hook as the freshness part).
MENU_HOOK = "register_assessment_menu_item"


@hooks.register(MENU_HOOK)
def score_menu_item():
    return RuleMenuItem(
        "考核得分",
        reverse("assessment_scores"),
        name="assessment-scores",
        icon_name="pick",
        order=300,
        rule=rules.may_view_scores,
    )


@hooks.register(MENU_HOOK)
def leaders_menu_item():
    return RuleMenuItem(
        "领导看板",
        reverse("assessment_leaders"),
        name="assessment-leaders",
        icon_name="view",
        order=400,
        rule=rules.may_view_leaders_view,
    )


@hooks.register(MENU_HOOK)
def rule_set_menu_item():
    return RuleMenuItem(
        "考核细则",
        reverse(rule_sets.get_url_name("index")),
        name="assessment-rule-sets",
        icon_name="list-ul",
        order=840,
        rule=rules.may_keep_rules,
    )


@hooks.register("register_admin_menu_item")
def register_assessment_menu():
    return SubmenuMenuItem(
        MENU_LABEL,
        Menu(register_hook_name=MENU_HOOK),
        name="assessment",
        icon_name="tasks",
        order=240,
    )
