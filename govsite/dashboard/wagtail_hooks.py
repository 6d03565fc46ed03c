"""The dashboard (首页) that opens with the work (第七、十四条; issue 14): per role, in this order
where the role has it — 我的草稿, 退回给我的, 待我审核, 我提交的稿件, 本科室承办的来信 — then
我的通知 and the other apps' warnings. Wagtail's own work panels are replaced by these (they read
each row on its own), its counts (N 个页面 / N 张图片) are not shown (``home.html``).
"""

from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import views
from .work import WORK_LISTS, Letters, StaleColumns

# Wagtail's and the apps' panels these replace: Wagtail's 待我审核 and 我提交的稿件 (a few queries
# a row), its 最近编辑 (nobody acts on it), the mailbox's counts (shown in 本科室承办的来信).
REPLACED = {
    "workflow_objects_to_moderate",
    "user_objects_in_workflow_moderation",
    "recent_edits",
    "mailbox_worklist",
}
# Where each panel stands: warnings first, then the work in the order above, notices after it.
ORDER = {
    "jobs_health": 10,
    "account_security": 20,
    "drafts": 100,
    "returned": 110,
    "reviews": 120,
    "change_requests_to_review": 125,
    "submitted": 130,
    "letters": 140,
    "info_approval": 142,
    "info_queue": 144,
    "info_returned": 146,
    "columns": 145,
    "my_notices": 150,
    "locked_pages": 300,
}


class WorkPanel(Component):
    """One list of work: its first rows, plainly empty when nothing waits, and a link to all."""

    template_name = "dashboard/panel.html"

    def __init__(self, work, user):
        self.work = work
        self.name = work.key
        self.order = ORDER[work.key]
        self.rows, self.total = work.first(user)
        self.heading = work.heading
        self.empty = work.empty

    def get_context_data(self, parent_context):
        return {
            "panel_id": f"dashboard-{self.work.key}",
            "heading": self.heading,
            "rows": self.rows,
            "total": self.total,
            "empty": self.empty,
            "full_url": self.work.full_url(),
        }


class LettersPanel(WorkPanel):
    template_name = "dashboard/letters_panel.html"

    def __init__(self, work, user):
        super().__init__(work, user)
        self.heading = work.heading_for(user)
        self.counts = work.counts(user)
        if not self.rows and self.heading == "沟通信箱":
            self.empty = ""  # no section of their own: the counts are the whole story

    def get_context_data(self, parent_context):
        return {**super().get_context_data(parent_context), "counts": self.counts}


class ColumnsPanel(WorkPanel):
    """本科室待更新栏目, and for 综合科 one line of the office against the 单项否决 lines."""

    template_name = "dashboard/columns_panel.html"

    def __init__(self, work, user):
        self.work = work
        self.name = work.key
        self.order = ORDER[work.key]
        summary = work.summary(user)
        self.rows, self.total, self.office = summary["rows"], summary["total"], summary["office"]
        self.heading = summary["heading"]
        self.empty = summary["empty"]

    def get_context_data(self, parent_context):
        return {**super().get_context_data(parent_context), "office": self.office}


PANELS = {Letters: LettersPanel, StaleColumns: ColumnsPanel}


@hooks.register("construct_homepage_panels", order=100)
def work_first(request, panels):
    """After every app has added its panels: replace Wagtail's work panels with ours and put
    every panel in the dashboard's order."""
    user = request.user
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") not in REPLACED]
    for work in WORK_LISTS:
        if work.applies_to(user):
            panels.append(PANELS.get(type(work), WorkPanel)(work, user))
    for panel in panels:
        if getattr(panel, "name", "") in ORDER:
            panel.order = ORDER[panel.name]


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [path("dashboard/<slug:key>/", views.WorkListView.as_view(), name="dashboard_list")]


@hooks.register("insert_global_admin_css")
def dashboard_css():
    return format_html('<link rel="stylesheet" href="{}">', static("dashboard/dashboard.css"))
