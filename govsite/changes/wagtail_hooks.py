"""Where unpublishing and deletion requests meet the admin (R-FLOW-5, R-FLOW-6).

* the page's "⋯" menus (editor header, explorer header and listing rows) offer
  申请撤销发布 / 申请删除 to whoever ``rules`` lets file them;
* the admin menu item 撤销/删除申请 and a dashboard panel 待我审核的撤销/删除申请;
* the page history names each step (``register_log_actions``);
* a retained page's editor no longer opens, and published content and its records are never
  hard-deleted through Wagtail's delete views (R-FLOW-4, R-FLOW-5).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from . import actions, rules, urls
from .models import ChangeKind, ChangeRequest, RetainedPage, Stage
from .views import MENU_LABEL

BUTTON_ICONS = {ChangeKind.UNPUBLISH: "download", ChangeKind.DELETE: "bin"}


@hooks.register("register_admin_urls")
def register_change_request_urls():
    return [path("change-requests/", include(urls))]


class ChangeRequestsMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.takes_part(request.user)


@hooks.register("register_admin_menu_item")
def register_change_requests_menu_item():
    return ChangeRequestsMenuItem(
        MENU_LABEL,
        reverse("govsite_changes:index"),
        name="change-requests",
        icon_name="history",
        order=210,
    )


def change_request_buttons(page, user, priority, facts=None):
    """申请撤销发布 / 申请删除, or a link to the open request or the retention record."""
    if not rules.is_content(page):
        return
    facts = facts or rules.facts_of(page)
    for kind, icon in BUTTON_ICONS.items():
        if rules.may_file(user, page, kind, facts):
            yield Button(
                f"申请{kind.label}",
                reverse("govsite_changes:file", args=[page.pk, kind.value]),
                icon_name=icon,
                priority=priority,
            )
    shown, label = facts.pending, "查看审核中的撤销/删除申请"
    if shown is None and facts.retained is not None:
        shown, label = facts.retained.request, "查看删除（留存）记录"
    if shown is not None and rules.may_view(user, shown):
        url = reverse("govsite_changes:detail", args=[shown.pk])
        yield Button(label, url, icon_name="history", priority=priority + 1)


@hooks.register("register_page_header_buttons")
def page_header_change_request_buttons(page, user, view_name, next_url=None):
    yield from change_request_buttons(page, user, priority=55)


@hooks.register("register_page_listing_more_buttons")
def page_listing_change_request_buttons(page, user, next_url=None):
    """A row of a page listing: what its buttons depend on is read once for all the rows of
    the request (``rules.ListingFacts``, kept on the user object, which lives as long as the
    request), not once a row."""
    if not rules.is_content(page):
        return
    facts = getattr(user, "_govsite_listing_facts", None)
    if facts is None:
        facts = user._govsite_listing_facts = rules.ListingFacts()
    yield from change_request_buttons(page, user, priority=35, facts=facts[page])


class ChangeRequestsToReviewPanel(Component):
    name = "change_requests_to_review"
    template_name = "changes/dashboard_panel.html"
    order = 200

    def __init__(self, change_requests, total):
        self.change_requests = change_requests
        self.total = total

    def get_context_data(self, parent_context):
        return {
            "change_requests": self.change_requests,
            "total": self.total,
            "index_url": reverse("govsite_changes:index"),
        }


# The dashboard shows the first few requests waiting for the user; 撤销/删除申请 lists them all.
DASHBOARD_ROWS = 10


@hooks.register("construct_homepage_panels")
def add_change_requests_panel(request, panels):
    awaiting = ChangeRequest.objects.awaiting(request.user)
    shown = list(awaiting.for_listing()[:DASHBOARD_ROWS])
    if shown:
        total = len(shown) if len(shown) < DASHBOARD_ROWS else awaiting.count()
        panels.append(ChangeRequestsToReviewPanel(shown, total))


@hooks.register("before_edit_page")
def retained_pages_stay_closed(request, page):
    """删除（留存）: the page is kept for the record, not for editing."""
    retention = RetainedPage.objects.filter(page_id=page.pk).select_related("request").first()
    if retention is None:
        return None
    messages.error(
        request,
        f"《{page.get_admin_display_title()}》已删除（留存），不能再编辑；"
        "页面及其历史保留在系统中备查。",
    )
    if rules.may_view(request.user, retention.request):
        return redirect("govsite_changes:detail", retention.request.pk)
    return redirect("wagtailadmin_home")


class ChangeRequestLogFormatter(LogFormatter):
    verb = ""

    def details(self, log_entry):
        return (log_entry.data or {}).get("change_request", {})

    def format_message(self, log_entry):
        details = self.details(log_entry)
        stage = details.get("stage")
        who = f"{Stage(stage).label}" if stage in Stage.values else ""
        return f"{who}{self.verb}{details.get('kind_label', '撤销/删除')}申请"

    def format_comment(self, log_entry):
        details = self.details(log_entry)
        return details.get("comment") or details.get("reason") or ""


@hooks.register("register_log_actions")
def register_change_request_log_actions(registry):
    @registry.register_action(actions.LOG_FILED)
    class Filed(ChangeRequestLogFormatter):
        label = "提交撤销/删除申请"
        verb = "提交"

    @registry.register_action(actions.LOG_APPROVED)
    class Approved(ChangeRequestLogFormatter):
        label = "撤销/删除申请：同意"
        verb = "同意"

    @registry.register_action(actions.LOG_RETURNED)
    class Returned(ChangeRequestLogFormatter):
        label = "撤销/删除申请：退回"
        verb = "退回"

    @registry.register_action(actions.LOG_WITHDRAWN)
    class Withdrawn(ChangeRequestLogFormatter):
        label = "撤销/删除申请：撤回"
        verb = "撤回"

    registry.register_action(
        actions.LOG_RETAINED,
        "删除（留存）",
        "已删除（留存）：页面已下线并锁定，内容、版本和历史保留在系统中",
    )
