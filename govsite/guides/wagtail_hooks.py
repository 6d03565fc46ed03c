"""帮助 in the admin's sidebar: the project's own staff guides (govsite.guides), the user's own
role guide first, in place of Wagtail's help menu (English pages on the internet, with a badge
counting Wagtail's release notes)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import rules, views

urlpatterns = [
    path("", views.GuideIndexView.as_view(), name="index"),
    path("<slug:slug>/", views.GuideView.as_view(), name="guide"),
]


@hooks.register("register_admin_urls")
def register_guide_urls():
    return [path("help/", include((urlpatterns, "govsite_guides"), namespace="govsite_guides"))]


class GuidesMenu(Menu):
    """The guides for the user asking: their own first, then the others, then the index."""

    def menu_items_for_request(self, request):
        own, others = rules.guides_for(request.user)
        items = [
            MenuItem(
                f"{guide.title}（本岗位）" if guide in own else guide.title,
                reverse("govsite_guides:guide", args=[guide.slug]),
                name=f"guide-{guide.slug}",
                icon_name="help",
                order=order,
            )
            for order, guide in enumerate([*own, *others])
        ]
        items.append(
            MenuItem(
                "全部指南",
                reverse("govsite_guides:index"),
                name="guides",
                icon_name="list-ul",
                order=len(items),
            )
        )
        return items


@hooks.register("construct_main_menu")
def replace_help_menu(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name != "help"]
    menu_items.append(
        SubmenuMenuItem("帮助", GuidesMenu(), name="help", icon_name="help", order=11000)
    )


@hooks.register("construct_reports_menu")
def hide_page_types_usage(request, menu_items):
    """页面类型使用情况 counts page types by their code names (articlepage, columns…): nobody in
    the office acts on it."""
    menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]
