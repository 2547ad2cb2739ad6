from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.page_cache import depend_on_page

from .models import Audience, Category, Person


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    list_display = ["name", "slug", "description", "sort_order"]
    ordering = ["sort_order", "name"]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    list_display = ["name", "slug", "description", "sort_order"]
    ordering = ["sort_order", "name"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    list_display = ["name", "title", "affiliation"]
    search_fields = ["name", "affiliation"]


class VocabularyGroup(SnippetViewSetGroup):
    menu_label = "分类与人员"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (AudienceViewSet, CategoryViewSet, PersonViewSet)


register_snippet(VocabularyGroup)


@hooks.register("before_serve_page")
def record_page_cache_dependency(page, request, serve_args, serve_kwargs):
    """A served page depends on itself and its ancestors (title, URL, breadcrumbs)."""
    depend_on_page(page)
