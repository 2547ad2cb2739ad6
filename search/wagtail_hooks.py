from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SearchSynonym


class SearchSynonymViewSet(SnippetViewSet):
    """设置 → 搜索同义词. Only administrators: no group is granted its permissions."""

    model = SearchSynonym
    icon = "search"
    menu_label = "搜索同义词"
    add_to_settings_menu = True
    menu_order = 900
    list_display = ["__str__", "note"]
    search_fields = ["words", "note"]


register_snippet(SearchSynonymViewSet)
