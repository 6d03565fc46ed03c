"""Where 信息报送 meets the admin (第十六、二十二条; R-INFO-3):

* the menu 信息报送 › 信息报送通报 (whoever has a line to see) and 科室报送定额 (综合科);
* the dashboard panel 本月信息报送 (``panels.MonthPanel``);
* the pages of the 通报, its file and the quotas.
"""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import bulletin_views, rules
from .panels import MonthPanel


@hooks.register("register_admin_urls")
def register_bulletin_urls():
    return [
        path(
            "reporting/bulletin/",
            bulletin_views.BulletinView.as_view(),
            name="reporting_bulletin",
        ),
        path(
            "reporting/bulletin/export/<str:export_type>/",
            bulletin_views.BulletinExportView.as_view(),
            name="reporting_bulletin_export",
        ),
        path("reporting/quotas/", bulletin_views.QuotasView.as_view(), name="reporting_quotas"),
    ]


class RuleMenuItem(MenuItem):
    """A menu item shown to whoever ``rule(user)`` allows."""

    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule

    def is_shown(self, request):
        return self.rule(request.user)


class ReportingMenu(SubmenuMenuItem):
    def is_shown(self, request):
        return rules.may_see_bulletin(request.user)


@hooks.register("register_admin_menu_item")
def register_reporting_menu():
    items = [
        RuleMenuItem(
            bulletin_views.BULLETIN_LABEL,
            reverse("reporting_bulletin"),
            name="reporting-bulletin",
            icon_name="doc-full",
            order=800,
            rule=rules.may_see_bulletin,
        ),
        RuleMenuItem(
            bulletin_views.QUOTAS_LABEL,
            reverse("reporting_quotas"),
            name="reporting-quotas",
            icon_name="list-ol",
            order=810,
            rule=rules.may_keep_quotas,
        ),
    ]
    return ReportingMenu(
        bulletin_views.MENU_LABEL,
        Menu(items=items),
        name="reporting",
        icon_name="doc-full",
        order=230,
    )


@hooks.register("construct_homepage_panels")
def add_month_panel(request, panels):
    panel = MonthPanel.for_user(request.user)
    if panel is not None:
        panels.append(panel)
