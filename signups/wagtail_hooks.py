from django.urls import include, path, re_path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from home.occurrence_links import HOOK_NAME as OCCURRENCE_LINKS_HOOK

from . import admin_views
from .links import signup_links
from .report import participation_measures

admin_urlpatterns = [
    path("", admin_views.index, name="index"),
    re_path(r"^(?P<occurrence_id>\d+)/$", admin_views.detail, name="detail"),
    re_path(r"^(?P<occurrence_id>\d+)/checkin/$", admin_views.checkin, name="checkin"),
    re_path(r"^(?P<occurrence_id>\d+)/cancel/$", admin_views.cancel, name="cancel"),
    re_path(r"^(?P<occurrence_id>\d+)/draw/$", admin_views.draw, name="draw"),
    re_path(r"^(?P<occurrence_id>\d+)/offline/$", admin_views.offline, name="offline"),
    re_path(
        r"^(?P<occurrence_id>\d+)/export\.(?P<fmt>csv|xlsx)$", admin_views.export, name="export"
    ),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("signups/", include((admin_urlpatterns, "signups_admin")))]


class SignupsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.editable_occurrences(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return SignupsMenuItem("报名管理", reverse("signups_admin:index"), icon_name="form", order=250)


hooks.register(OCCURRENCE_LINKS_HOOK, signup_links)
hooks.register("participation_report_measures", participation_measures)
