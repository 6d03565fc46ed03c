"""Where 专栏 meet the admin and the public site (R-TOPIC-1).

* the admin menu 专栏申请 (我的申请 / 待我审核 / 新建申请) and a dashboard panel
  待我审核的专栏申请;
* the page history names the opening and the archiving;
* 热点专题 lists its 专栏 as 正在进行 and 往期专题 (``construct_column_context``, the seam
  ``columns.models.ColumnPage`` offers).
"""

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from govsite.columns.home import HOME_CONTEXT_HOOK
from govsite.columns.models import navigation_columns
from govsite.images.models import GovRendition
from govsite.menus import RuleMenuItem

from . import actions, rules, urls
from .models import TopicApplication, TopicPage, settings_of_topics
from .views import MENU_LABEL

# The size a 专栏's banner is shown in on the homepage (the template's {% image %} spec).
HOME_BANNER_SPEC = "max-1200x200"


@hooks.register("register_admin_urls")
def register_topic_urls():
    return [path("topics/", include(urls))]


class TopicsMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return rules.takes_part(request.user)


@hooks.register("register_admin_menu_item")
def register_topics_menu_item():
    index = reverse("govsite_topics:index")
    items = [
        RuleMenuItem("我的申请", f"{index}#mine-heading", name="topics-mine",
                     icon_name="user", order=1, rule=rules.takes_part),
        RuleMenuItem("待我审核", f"{index}#awaiting-heading", name="topics-awaiting",
                     icon_name="tasks", order=2, rule=rules.takes_part),
        RuleMenuItem("新建申请", reverse("govsite_topics:apply"), name="topics-apply",
                     icon_name="plus", order=3, rule=rules.may_apply),
    ]  # fmt: skip
    return TopicsMenuItem(
        MENU_LABEL, Menu(items=items), name="topics", icon_name="folder-open-inverse", order=215
    )


class TopicApplicationsToReviewPanel(Component):
    name = "topic_applications_to_review"
    template_name = "topics/admin/dashboard_panel.html"
    order = 205

    def __init__(self, applications, total):
        self.applications = applications
        self.total = total

    def get_context_data(self, parent_context):
        return {
            "applications": self.applications,
            "total": self.total,
            "index_url": reverse("govsite_topics:index"),
        }


@hooks.register("construct_homepage_panels")
def add_topic_applications_panel(request, panels):
    rows = settings_of_topics()["dashboard_rows"]
    awaiting = TopicApplication.objects.awaiting(request.user)
    shown = list(awaiting.for_listing()[:rows])
    if shown:
        total = len(shown) if len(shown) < rows else awaiting.count()
        panels.append(TopicApplicationsToReviewPanel(shown, total))


@hooks.register("register_log_actions")
def register_topic_log_actions(registry):
    registry.register_action(actions.LOG_OPENED, "开设专栏", "专栏申请经审核同意，专栏已开设")
    registry.register_action(actions.LOG_ARCHIVED, "专栏归档", "专栏期限已结束，已自动归档")


class TopicListing:
    """热点专题's 正在进行 and 往期专题, shown by ``columns/column_page.html``."""

    template = "topics/_column_listing.html"
    stylesheet = "topics/topics.css"  # linked in the page's <head> by column_page.html

    def __init__(self, column):
        topics = TopicPage.objects.live().child_of(column).select_related("banner")
        self.open = list(topics.open().order_by("-starts_on", "-pk"))
        self.archived = list(topics.archived().order_by("-ends_on", "-pk"))


@hooks.register("construct_column_context")
def list_topics_of_column(column, request, context):
    if column.slug == settings_of_topics()["column_slug"]:
        context["column_extras"].append(TopicListing(column))


@hooks.register(HOME_CONTEXT_HOOK)
def homepage_topics(request, home):
    """The homepage's 热点专题 block and banners: the open 专栏 (R-TOPIC-1), with their banners
    read in one query, in the explorer's order."""
    slug = settings_of_topics()["column_slug"]
    column = next(
        (c for c in navigation_columns() if c.slug == slug and c.is_descendant_of(home)), None
    )
    if column is None:
        return {}
    topics = list(
        TopicPage.objects.live().open().child_of(column).select_related("banner").order_by("path")
    )
    banners = [topic.banner for topic in topics if topic.banner]
    if banners:
        renditions = GovRendition.objects.filter(filter_spec=HOME_BANNER_SPEC)
        prefetch = Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions")
        prefetch_related_objects(banners, prefetch)
    return {"topics_column": column, "open_topics": topics}
