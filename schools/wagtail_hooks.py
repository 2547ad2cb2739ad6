from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .demo import load_schools_demo
from .models import Facility
from .sections import school_finder_section


class FacilityViewSet(SnippetViewSet):
    model = Facility
    icon = "home"
    menu_label = "学校设施"
    add_to_admin_menu = False
    list_display = ["name", "sort_order"]


register_snippet(FacilityViewSet)


hooks.register("register_demo_content", load_schools_demo, order=10)
hooks.register("home_page_sections", school_finder_section)


@hooks.register("construct_homepage_panels")
def add_my_community_panel(request, panels):
    from .dashboard import MyCommunityPanel

    panels.insert(0, MyCommunityPanel())
