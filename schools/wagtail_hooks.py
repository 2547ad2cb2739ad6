from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Facility
from .sections import school_finder_section


class FacilityViewSet(SnippetViewSet):
    model = Facility
    icon = "home"
    menu_label = "学校设施"
    add_to_admin_menu = False
    list_display = ["name", "sort_order"]


register_snippet(FacilityViewSet)


hooks.register("home_page_sections", school_finder_section)


@hooks.register("construct_homepage_panels")
def add_my_community_panel(request, panels):
    from .dashboard import MyCommunityPanel

    panels.insert(0, MyCommunityPanel())


@hooks.register("register_admin_urls")
def register_community_role_urls():
    from django.urls import include, path

    from . import role_admin

    urls = [
        path("", role_admin.index, name="index"),
        path("assign/", role_admin.assign, name="assign"),
        path("revoke/", role_admin.revoke, name="revoke"),
    ]
    return [path("community-roles/", include((urls, "community_roles")))]


class CommunityRolesMenuItem(MenuItem):
    def is_shown(self, request):
        from .role_admin import can_manage_roles

        return can_manage_roles(request.user)


@hooks.register("register_settings_menu_item")
def register_community_roles_menu_item():
    return CommunityRolesMenuItem(
        "社区角色", reverse("community_roles:index"), icon_name="group", order=610
    )
