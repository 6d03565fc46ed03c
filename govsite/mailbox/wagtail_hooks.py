"""Where the mailbox meets the admin (第十一条 在线交流; R-MAIL-2..5):

* the menu 沟通信箱: 来信办理 (with the number of letters waiting for the user), 整理上报,
  导入办理结果, 节假日与调休 and 沟通信箱设置, each shown to whoever may use it;
* a dashboard panel with the same counts (待分类 / 超期 for 综合科, 待办 for sections);
* the staff's pages (``admin.urls``), the letter's under the URL name ``mailbox_letter``, which
  ``cases`` puts in every notice.
"""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.model import ModelViewSet

from govsite.columns.home import HOME_CONTEXT_HOOK, structure_page
from govsite.menus import CountedMenuItem, PermissionMenuItem, RuleMenuItem

from . import reports, rules
from .admin import urls
from .admin.base import LIST_LABEL, MENU_LABEL
from .admin.worklist import todo_count, worklist
from .models import Holiday
from .pages import MailboxPage


@hooks.register(HOME_CONTEXT_HOOK)
def homepage_mailbox(request, home):
    """The homepage's 在线交流 (R-SITE-1): 我要写信, 查询办理结果, 来信统计 with this year's
    figures (refreshed on the published homepage by ``tasks.refresh_homepage_figures``)."""
    mailbox = structure_page(MailboxPage, home)
    if mailbox is None:
        return {}
    received, answered = reports.year_to_date()
    return {
        "mailbox_urls": mailbox.route_urls(request),
        "letters_received": received,
        "letters_answered": answered,
    }


@hooks.register("register_admin_urls")
def register_mailbox_urls():
    return [path("mailbox/", include(urls))]


class HolidayViewSet(ModelViewSet):
    """节假日与调休: the working-day calendar deadlines are counted on (R-MAIL-3), kept by 综合科
    (model permissions, see govsite.sections.permissions)."""

    model = Holiday
    name = "mailbox_holidays"
    url_prefix = "mailbox/holidays"
    icon = "calendar"
    menu_label = "节假日与调休"
    add_to_admin_menu = False
    list_display = ["date", "name", BooleanColumn("workday", label="调休上班", sort_key="workday")]
    list_filter = ["workday"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False


holidays = HolidayViewSet()


@hooks.register("register_admin_viewset")
def register_holiday_viewset():
    return holidays


# The menu ----------------------------------------------------------------------------------------


class LettersMenuItem(CountedMenuItem):
    """来信办理, with the number of letters waiting for the user."""

    def is_shown(self, request):
        return rules.takes_part(request.user)

    def count(self, request):
        return todo_count(request.user)


@hooks.register("register_admin_menu_item")
def register_mailbox_menu():
    items = [
        LettersMenuItem(
            LIST_LABEL,
            reverse("mailbox_letters"),
            name="mailbox-letters",
            icon_name="mail",
            order=100,
        ),
        RuleMenuItem(
            "整理上报",
            reverse("mailbox_report"),
            name="mailbox-report",
            icon_name="doc-full",
            order=200,
            rule=rules.may_triage,
        ),
        RuleMenuItem(
            "导入办理结果",
            reverse("mailbox_handoff_import"),
            name="mailbox-handoff-import",
            icon_name="upload",
            order=300,
            rule=rules.may_triage,
        ),
        PermissionMenuItem(
            "节假日与调休",
            reverse(holidays.get_url_name("index")),
            name="mailbox-holidays",
            icon_name="calendar",
            order=400,
            permission="mailbox.view_holiday",
        ),
        PermissionMenuItem(
            "沟通信箱设置",
            reverse("wagtailsettings:edit", args=["mailbox", "mailboxsettings"]),
            name="mailbox-settings",
            icon_name="cog",
            order=500,
            permission="mailbox.change_mailboxsettings",
        ),
    ]
    return SubmenuMenuItem(
        MENU_LABEL, Menu(items=items), name="mailbox", icon_name="mail", order=220
    )


# The dashboard -----------------------------------------------------------------------------------


class MailboxPanel(Component):
    """沟通信箱 on the dashboard: what waits for the user, each count linking to the list."""

    name = "mailbox_worklist"
    template_name = "mailbox/admin/panel.html"
    order = 150

    def __init__(self, counts):
        self.counts = counts

    def get_context_data(self, parent_context):
        return {"counts": self.counts}


@hooks.register("construct_homepage_panels")
def add_mailbox_panel(request, panels):
    if not rules.takes_part(request.user):
        return
    counts = worklist(request.user)
    if any(count.count for count in counts):
        panels.append(MailboxPanel(counts))
