"""The admin of search (SPEC §11): the dictionary 综合科 maintains, under 站内搜索."""

from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from .conf import SEARCH
from .models import DictionaryVersion, SearchWord

ENABLED = BooleanColumn("enabled", label="启用")


class SearchWordIndexView(IndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dictionary"] = DictionaryVersion.state()
        context["quiet_minutes"] = SEARCH["reindex_quiet_minutes"]
        return context


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


class SearchViewSetGroup(SnippetViewSetGroup):
    menu_label = "站内搜索"
    menu_icon = "search"
    menu_order = 260
    items = [SearchWordViewSet]
