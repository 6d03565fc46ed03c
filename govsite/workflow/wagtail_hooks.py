"""The review chain in the admin: 审核记录 (R-FLOW-4), 我的通知 and its menu item (R-FLOW-6).

Wagtail's own dashboard panels already give reviewers their queue ("待我审核") and submitters
their items in review ("我提交的稿件"); their labels come from govsite/locale.
"""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem

from . import rules, views
from .menu import CountedMenuItem
from .models import Notice

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
    path("notices/", views.NoticeListView.as_view(), name="notices"),
    path("notices/<int:notice_id>/read/", views.mark_notice_read, name="notice_read"),
    path("notices/read-all/", views.mark_all_notices_read, name="notices_read_all"),
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


# 我的通知 -----------------------------------------------------------------------------------------


def unread_notices(user):
    return Notice.objects.filter(recipient=user).unread()


class NoticesMenuItem(CountedMenuItem):
    """ "通知" with the number of unread notices."""

    def count(self, request):
        return unread_notices(request.user).count()


@hooks.register("register_admin_menu_item")
def register_notices_menu_item():
    return NoticesMenuItem(
        "通知", reverse("govsite_workflow:notices"), name="notices", icon_name="mail", order=150
    )


class NoticesPanel(Component):
    """The dashboard's "我的通知": the user's unread notices, newest first."""

    name = "my_notices"
    template_name = "workflow/panels/notices.html"
    order = 230  # after Wagtail's 我提交的稿件 (210) and 待我审核 (220)
    limit = 10

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        unread = unread_notices(request.user)
        return {
            "notices": unread[: self.limit],
            "unread_count": unread.count(),
            "request": request,
            "csrf_token": parent_context["csrf_token"],
        }


@hooks.register("construct_homepage_panels")
def add_notices_panel(request, panels):
    panels.append(NoticesPanel())
