"""监督考核 in the admin (第十五、二十一条): the menu, the freshness screen and review, and the
rule data 综合科 keeps (更新要求, 栏目的更新要求, 单项否决线, 栏目更新设置).

The 监督考核 menu is built from its own hook, ``register_assessment_menu_item``, so each part
of the assessment (栏目更新, 双百考核 …) adds its items without editing the others'."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.model import ModelViewSet

from govsite.menus import PermissionMenuItem, RuleMenuItem

from . import rules, views
from .admin import urls as score_urls
from .admin.rule_sets import rule_sets
from .models import ColumnRule, FreshnessRule, VetoLine

MENU_HOOK = "register_assessment_menu_item"


@hooks.register("register_admin_urls")
def register_assessment_urls():
    return [
        path("assessment/freshness/", views.FreshnessView.as_view(), name="assessment_freshness"),
        path(
            "assessment/freshness/<int:column_id>/review/",
            views.ReviewView.as_view(),
            name="assessment_review",
        ),
    ]


class FreshnessRuleViewSet(ModelViewSet):
    """更新要求: how long a kind of column may stay silent (第十五条), kept by 综合科."""

    model = FreshnessRule
    name = "assessment_rules"
    url_prefix = "assessment/rules"
    icon = "time"
    menu_label = "更新要求"
    add_to_admin_menu = False
    form_fields = ["name", "max_days", "warn_days", "by_review", "assessed", "order"]
    list_display = [
        "name",
        "max_days",
        "warn_days",
        BooleanColumn("by_review", label="复核即视为更新"),
        BooleanColumn("assessed", label="纳入更新考核"),
    ]
    copy_view_enabled = False
    inspect_view_enabled = False
    search_backend_name = None


class ColumnRuleViewSet(ModelViewSet):
    """栏目的更新要求: a column whose rule is not its kind's default."""

    model = ColumnRule
    name = "assessment_column_rules"
    url_prefix = "assessment/column-rules"
    icon = "list-ul"
    menu_label = "栏目的更新要求"
    add_to_admin_menu = False
    form_fields = ["column", "rule"]
    list_display = ["column", "rule"]
    list_filter = ["rule"]
    copy_view_enabled = False
    inspect_view_enabled = False
    search_backend_name = None

    def get_queryset(self, request):
        return ColumnRule.objects.select_related("column", "rule")


class VetoLineViewSet(ModelViewSet):
    """单项否决线: the office-wide counts that fail the inspection, and the warning before each."""

    model = VetoLine
    name = "assessment_veto_lines"
    url_prefix = "assessment/veto-lines"
    icon = "warning"
    menu_label = "单项否决线"
    add_to_admin_menu = False
    form_fields = ["measure", "limit", "warn_at"]
    list_display = ["measure", "limit", "warn_at"]
    copy_view_enabled = False
    inspect_view_enabled = False
    search_backend_name = None


freshness_rules = FreshnessRuleViewSet()
column_rules = ColumnRuleViewSet()
veto_lines = VetoLineViewSet()


@hooks.register("register_admin_viewset")
def register_rule_viewsets():
    return [freshness_rules, column_rules, veto_lines]


@hooks.register(MENU_HOOK)
def freshness_menu_item():
    return RuleMenuItem(
        views.TITLE,
        reverse("assessment_freshness"),
        name="assessment-freshness",
        icon_name="time",
        order=100,
        rule=rules.may_view_freshness,
    )


@hooks.register(MENU_HOOK)
def freshness_rule_menu_items():
    return PermissionMenuItem(
        "更新要求",
        reverse(freshness_rules.get_url_name("index")),
        name="assessment-rules",
        icon_name="cog",
        order=800,
        permission="assessment.change_freshnessrule",
    )


@hooks.register(MENU_HOOK)
def column_rule_menu_item():
    return PermissionMenuItem(
        "栏目的更新要求",
        reverse(column_rules.get_url_name("index")),
        name="assessment-column-rules",
        icon_name="list-ul",
        order=810,
        permission="assessment.change_columnrule",
    )


@hooks.register(MENU_HOOK)
def veto_line_menu_item():
    return PermissionMenuItem(
        "单项否决线",
        reverse(veto_lines.get_url_name("index")),
        name="assessment-veto-lines",
        icon_name="warning",
        order=820,
        permission="assessment.change_vetoline",
    )


@hooks.register(MENU_HOOK)
def freshness_settings_menu_item():
    return PermissionMenuItem(
        "栏目更新设置",
        reverse("wagtailsettings:edit", args=["assessment", "freshnesssettings"]),
        name="assessment-freshness-settings",
        icon_name="cog",
        order=830,
        permission="assessment.change_freshnesssettings",
    )


@hooks.register("register_admin_menu_item")
def register_assessment_menu():
    return SubmenuMenuItem(
        views.MENU_LABEL,
        Menu(register_hook_name=MENU_HOOK),
        name="assessment",
        icon_name="tasks",
        order=240,
    )


# 双百考核 (R-ASSESS-2): 考核得分, 领导看板 and 考核细则 -------------------------------------------


@hooks.register("register_admin_urls")
def register_score_urls():
    return [path("assessment/", include(score_urls))]


@hooks.register("register_admin_viewset")
def register_rule_set_viewset():
    return rule_sets


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
