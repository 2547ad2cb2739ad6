from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from schools.models import SCHOOL_PAGE_SECTIONS_HOOK

from .reports import ParticipationReportView, can_view_report
from .sections import entries_here_section, take_part_section

hooks.register(SCHOOL_PAGE_SECTIONS_HOOK, entries_here_section)
hooks.register("home_page_sections", take_part_section)


@hooks.register("register_admin_urls")
def participation_report_urls():
    return [
        path(
            "reports/participation/<str:dimension>/",
            ParticipationReportView.as_view(),
            name="participation_report",
        ),
        path(
            "reports/participation/<str:dimension>/results/",
            ParticipationReportView.as_view(results_only=True),
            name="participation_report_results",
        ),
    ]


class ParticipationReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_report(request.user)


@hooks.register("register_reports_menu_item")
def participation_report_menu_item():
    return ParticipationReportMenuItem(
        "参与情况统计",
        reverse("participation_report", args=["district"]),
        name="participation",
        icon_name="table",
        order=900,
    )
