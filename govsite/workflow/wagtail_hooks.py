"""The review chain in the admin: 审核记录 (R-FLOW-4).

Wagtail's own dashboard panels already give reviewers their queue ("待我审核") and submitters
their items in review ("我提交的稿件"); their labels come from govsite/locale.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from . import rules, views, wording

urlpatterns = [
    path("review-records/", views.OfficeRecordView.as_view(), name="office_record"),
    path(
        "review-records/export/<slug:export_type>/",
        views.OfficeRecordExportView.as_view(),
        name="office_record_export",
    ),
    path("review-records/page/<int:page_id>/", views.PageRecordView.as_view(), name="page_record"),
    path(
        "review-records/page/<int:page_id>/export/<slug:export_type>/",
        views.PageRecordExportView.as_view(),
        name="page_record_export",
    ),
]


@hooks.register("register_admin_urls")
def register_review_chain_urls():
    return [path("", include((urlpatterns, "govsite_workflow"), namespace="govsite_workflow"))]


# 审核记录 -----------------------------------------------------------------------------------------


class PageRecordButton(PageMenuItem):
    label = "审核记录"
    icon_name = "clipboard-list"
    url_name = "govsite_workflow:page_record"

    def is_shown(self, user):
        return rules.may_read_page_record(user, self.page)


@hooks.register("register_page_header_buttons")
def page_record_header_button(page, user, view_name, next_url=None):
    yield PageRecordButton(page=page, priority=66)  # next to 历史记录


@hooks.register("register_page_listing_more_buttons")
def page_record_listing_button(page, user, next_url=None):
    yield PageRecordButton(page=page, priority=55)


class OfficeRecordMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.may_read_office_record(request.user)


@hooks.register("register_reports_menu_item")
def register_office_record_menu_item():
    return OfficeRecordMenuItem(
        "审核记录",
        reverse("govsite_workflow:office_record"),
        name="review-records",
        icon_name="clipboard-list",
        order=50,
    )


# After submitting or deciding: what happened. R-FLOW-1 on submit: when the automatic screening
# returns a submission, the officer is told so at once, with every finding, instead of
# Wagtail's "submitted" message.

SUBMITTING = ("action-submit", "action-restart-workflow")


def replace_messages(request, level, text):
    """Drop what Wagtail said about the action and say what happened instead."""
    for _ in messages.get_messages(request):
        pass
    level(request, text)


# First among the editor's hooks: another may send the user elsewhere afterwards (a director,
# who may not explore, goes to the dashboard: govsite/columns), and the message goes along.
@hooks.register("after_create_page", order=-1)
@hooks.register("after_edit_page", order=-1)
def confirm_what_happened(request, page):
    """After 提交审核 and after a reviewer's decision in the editor, one message saying what
    happened and what comes next (第十四条): "已通过，已送主管主任审核。", "已通过审核并发布。",
    "已退回作者修改。" — instead of Wagtail's "页面…已被更新。"."""
    deciding = bool(request.POST.get("action-workflow-action"))
    if not deciding and not any(request.POST.get(action) for action in SUBMITTING):
        return None
    # A reviewer who edits while approving sends a new version: it is screened first.
    screening = wording.returned_by_screening(page)
    if screening is None:
        if deciding:
            action = request.POST.get("workflow-action-name", "")
            replace_messages(request, messages.success, wording.after_decision(page, action))
        else:
            replace_messages(request, messages.success, wording.after_submit(page))
        return None
    replace_messages(request, messages.error, wording.screening_refusal(screening))
    return redirect("wagtailadmin_pages:edit", page.pk)
