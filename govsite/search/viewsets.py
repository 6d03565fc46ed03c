"""The admin of search (SPEC §11): the dictionary 综合科 maintains, under 站内搜索, with the
state of the search index and 立即重建索引 (a background job, never two at once)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.generic import View
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from govsite.jobs.views import refuse

from . import tasks
from .conf import SEARCH
from .models import DictionaryVersion, SearchWord

ENABLED = BooleanColumn("enabled", label="启用")


def may_reindex(policy, user):
    """Whoever may change the dictionary (综合科) may rebuild the index it is used for."""
    return policy.user_has_permission(user, "change")


class SearchWordIndexView(IndexView):
    reindex_url_name = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dictionary"] = DictionaryVersion.state()
        context["quiet_minutes"] = SEARCH["reindex_quiet_minutes"]
        context["job"] = tasks.running_job()
        if may_reindex(self.permission_policy, self.request.user):
            context["reindex_url"] = reverse(self.reindex_url_name)
        return context


class ReindexView(View):
    """立即重建索引: starts the rebuild in the background and goes back to the dictionary, which
    shows its progress; a click while one runs starts nothing more."""

    http_method_names = ["post"]
    viewset = None

    def post(self, request):
        if not may_reindex(self.viewset.permission_policy, request.user):
            return refuse(
                request,
                "只有可以修改搜索词典的人员（综合科）可以重建搜索索引。",
                title=tasks.LABEL,
            )
        index_url = reverse(self.viewset.get_url_name("list"))
        if tasks.running_job() is not None:
            messages.info(request, "搜索索引正在重建（后台任务），完成后本页显示重建时间。")
        else:
            tasks.start_reindex(request.user, url=index_url)
            messages.success(
                request,
                "已开始重建搜索索引（后台任务），完成后本页显示重建时间，"
                "此前已发布的信息即按当前词典检索。",
            )
        return redirect(index_url)


class SearchWordViewSet(SnippetViewSet):
    model = SearchWord
    icon = "search"
    menu_label = "搜索词典"
    index_view_class = SearchWordIndexView
    index_template_name = "search/admin/searchword_index.html"
    list_display = ["word", ENABLED, "note", "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["word", "note"]
    # The dictionary is searched by substring: segmenting it would not find part of a word.
    search_backend_name = None
    list_per_page = 50
    copy_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            reindex_url_name=self.get_url_name("reindex"), **kwargs
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("reindex/", ReindexView.as_view(viewset=self), name="reindex"),
        ]


class SearchViewSetGroup(SnippetViewSetGroup):
    menu_label = "站内搜索"
    menu_icon = "search"
    menu_order = 260
    items = [SearchWordViewSet]
