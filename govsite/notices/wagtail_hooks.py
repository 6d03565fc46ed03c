"""我的通知 in the admin: the list, the menu item with the unread count, the dashboard panel."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component

from govsite.menus import CountedMenuItem

from . import views
from .models import Notice

urlpatterns = [
    path("notices/", views.NoticeListView.as_view(), name="notices"),
    path("notices/<int:notice_id>/read/", views.mark_notice_read, name="notice_read"),
    path("notices/read-all/", views.mark_all_notices_read, name="notices_read_all"),
]


@hooks.register("register_admin_urls")
def register_notices_urls():
    return [path("", include((urlpatterns, "govsite_notices"), namespace="govsite_notices"))]


def unread_notices(user):
    return Notice.objects.filter(recipient=user).unread()


class NoticesMenuItem(CountedMenuItem):
    """ "通知" with the number of unread notices."""

    def count(self, request):
        return unread_notices(request.user).count()


@hooks.register("register_admin_menu_item")
def register_notices_menu_item():
    return NoticesMenuItem(
        "通知", reverse("govsite_notices:notices"), name="notices", icon_name="mail", order=150
    )


class NoticesPanel(Component):
    """The dashboard's "我的通知": the user's unread notices, newest first."""

    name = "my_notices"
    template_name = "notices/panels/notices.html"
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
