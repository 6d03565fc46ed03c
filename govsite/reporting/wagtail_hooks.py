"""信息报送 in the admin menu (第十六条): 我的信息 (本科室信息 for 综合科), 撰写信息, 待审核 for a
chief and 待采用 for 综合科 with their numbers, and the data 综合科 keeps (信息类别, 采用渠道,
批示级别, 信息报送设置); the 信息报送通报 (whoever has a line to see) and 科室报送定额 (综合科);
each item shown only to whoever may use it. The dashboard's panel 本月信息报送
(``panels.MonthPanel``, R-INFO-3). The permission policies are registered before the viewsets,
which would otherwise make model-permission ones."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.permissions import register_permission_policy

from govsite.menus import CountedMenuItem, RuleMenuItem

from . import bulletin_views, rules
from .models import InstructionLevel, Item, ItemKind, Outlet
from .panels import MonthPanel
from .permissions import ItemPermissionPolicy, OfficeDataPolicy
from .viewsets import MENU_LABEL, items, kinds, levels, outlets

register_permission_policy(Item, ItemPermissionPolicy(Item), exact_class=True)
for _model in (ItemKind, Outlet, InstructionLevel):
    register_permission_policy(_model, OfficeDataPolicy(_model), exact_class=True)


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


@hooks.register("register_admin_viewset")
def register_reporting_viewsets():
    return [items, kinds, outlets, levels]


class ItemsMenuItem(MenuItem):
    """我的信息, or 本科室信息 for 综合科 (the items returned to the user wait on the
    dashboard's 退回给我的信息)."""

    def is_shown(self, request):
        return rules.takes_part(request.user)

    def label_for(self, user):
        return "本科室信息" if rules.reads_every_sent_item(user) else "我的信息"

    def render_component(self, request):
        """The label for the user asking (the menu item is shared by every request)."""
        return LinkMenuItem(
            self.name,
            self.label_for(request.user),
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class ApprovalMenuItem(CountedMenuItem):
    """待审核 for a section's chief, with the number of items waiting for them."""

    def is_shown(self, request):
        return _chief(request.user)

    def count(self, request):
        return Item.objects.awaiting_approval_by(request.user).count()


class QueueMenuItem(CountedMenuItem):
    def is_shown(self, request):
        return rules.is_adopting_staff(request.user)

    def count(self, request):
        return Item.objects.awaiting_office().count()


_chief, _writes = rules.approves_anything, rules.writes_anything


@hooks.register("register_admin_menu_item")
def register_reporting_menu():
    menu = [
        ItemsMenuItem(
            "我的信息",
            reverse("reporting_items:index"),
            name="reporting-items",
            icon_name="doc-full",
            order=100,
        ),  # fmt: skip
        RuleMenuItem(
            "撰写信息",
            reverse("reporting_items:add"),
            name="reporting-add",
            icon_name="edit",
            order=200,
            rule=_writes,
        ),  # fmt: skip
        ApprovalMenuItem(
            "待审核",
            reverse("reporting_items:index") + "?status=awaiting_chief",
            name="reporting-approval",
            icon_name="tick",
            order=250,
        ),  # fmt: skip
        QueueMenuItem(
            "待采用",
            reverse("reporting_items:queue"),
            name="reporting-queue",
            icon_name="tasks",
            order=300,
        ),  # fmt: skip
        RuleMenuItem(
            "信息类别",
            reverse(kinds.get_url_name("index")),
            name="reporting-kinds",
            icon_name="tag",
            order=400,
            rule=rules.is_adopting_staff,
        ),  # fmt: skip
        RuleMenuItem(
            "采用渠道",
            reverse(outlets.get_url_name("index")),
            name="reporting-outlets",
            icon_name="globe",
            order=500,
            rule=rules.is_adopting_staff,
        ),  # fmt: skip
        RuleMenuItem(
            "批示级别",
            reverse(levels.get_url_name("index")),
            name="reporting-levels",
            icon_name="pick",
            order=600,
            rule=rules.is_adopting_staff,
        ),  # fmt: skip
        RuleMenuItem(
            "信息报送设置",
            reverse("wagtailsettings:edit", args=["reporting", "reportingsettings"]),
            name="reporting-settings",
            icon_name="cog",
            order=700,
            rule=lambda user: user.has_perm("reporting.change_reportingsettings"),
        ),
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
    return SubmenuMenuItem(
        MENU_LABEL, Menu(items=menu), name="reporting", icon_name="doc-full", order=230
    )


@hooks.register("construct_homepage_panels")
def add_month_panel(request, panels):
    panel = MonthPanel.for_user(request.user)
    if panel is not None:
        panels.append(panel)
