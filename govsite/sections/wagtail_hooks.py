from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Section


class SectionViewSet(SnippetViewSet):
    model = Section
    icon = "group"
    menu_label = "科室"
    menu_name = "sections"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "code", "officer_group", "chief_group", "director_names"]
    search_fields = ["name"]


register_snippet(SectionViewSet)
