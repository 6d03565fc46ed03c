"""政务公开 in the admin (R-OPEN-1): the 主题分类 tree and the 体裁 that 综合科 keeps (model
permissions granted in ``govsite.sections.permissions``), and the 主题分类 import."""

from django.urls import path
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from govsite.columns.home import HOME_CONTEXT_HOOK

from .columns import latest_notices
from .models import Genre, TopicCategory
from .views import TopicImportView


class TopicCategoryViewSet(ModelViewSet):
    """主题分类: two levels; a category in use cannot be deleted (PROTECT)."""

    model = TopicCategory
    name = "disclosure_topics"
    url_prefix = "disclosure/topics"
    icon = "list-ul"
    menu_label = "主题分类"
    form_fields = ["name", "parent", "sort_order"]
    list_display = ["__str__", "sort_order"]
    list_filter = ["parent"]
    copy_view_enabled = False
    inspect_view_enabled = False
    search_backend_name = None

    def get_queryset(self, request):
        return TopicCategory.objects.select_related("parent").order_by(
            "parent__sort_order", "sort_order", "pk"
        )


class GenreViewSet(ModelViewSet):
    """体裁: the 公文种类 and the other forms of a 政务公开 page."""

    model = Genre
    name = "disclosure_genres"
    url_prefix = "disclosure/genres"
    icon = "tag"
    menu_label = "体裁"
    form_fields = ["name", "sort_order"]
    list_display = ["name", "sort_order"]
    copy_view_enabled = False
    inspect_view_enabled = False
    search_backend_name = None


class DisclosureViewSetGroup(ViewSetGroup):
    items = (TopicCategoryViewSet, GenreViewSet)
    menu_label = "政务公开"
    menu_icon = "doc-full"
    menu_order = 350


@hooks.register("register_admin_viewset")
def register_disclosure_viewsets():
    return DisclosureViewSetGroup()


@hooks.register("register_admin_urls")
def register_disclosure_urls():
    return [
        path("disclosure/topics/import/", TopicImportView.as_view(), name="disclosure_topic_import")
    ]


@hooks.register(HOME_CONTEXT_HOOK)
def homepage_notices(request, home):
    """The homepage's 通知公告 (R-SITE-1)."""
    column, items = latest_notices(home)
    return {"notices_column": column, "notices": items}
