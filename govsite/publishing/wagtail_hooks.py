"""静态发布 in the admin: the served page for the publishing middleware, and 设置 → 静态发布
(重新生成全部页面) for 综合科-网站管理."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import rules, views
from .rules import SERVED_PAGE

urlpatterns = [path("", views.PublishSiteView.as_view(), name="site")]


@hooks.register("before_serve_page")
def remember_served_page(page, request, serve_args, serve_kwargs):
    """Tell the publishing middleware which page answers the request (Wagtail's ``serve``
    calls this hook for public requests only, never for previews)."""
    setattr(request, SERVED_PAGE, page)


@hooks.register("register_admin_urls")
def register_publishing_urls():
    return [
        path(
            "publishing/",
            include((urlpatterns, "govsite_publishing"), namespace="govsite_publishing"),
        )
    ]


class PublishSiteMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.may_publish_site(request.user)


@hooks.register("register_settings_menu_item")
def register_publish_site_menu_item():
    return PublishSiteMenuItem(
        "静态发布",
        reverse("govsite_publishing:site"),
        name="static-publishing",
        icon_name="globe",
        order=650,
    )
