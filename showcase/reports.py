"""参与情况统计: an admin report (Wagtail's ReportView) of published events, lectures, courses
and their occurrences by district, audience or month, with a 合计 row and Wagtail's CSV/XLSX
export (the CSV with a UTF-8 BOM so Excel opens it in Chinese, the sheet named 参与情况统计).

全站编辑 and superusers see every district; a district moderator (区县审核员) sees only the
districts they moderate."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from .statistics import DIMENSIONS, participation_rows

SHEET_TITLE = "参与情况统计"
ALL_DISTRICTS = None


def report_districts(user):
    """The district ids whose figures ``user`` may see: ALL_DISTRICTS (None) for those who may
    publish anywhere on the site (全站编辑) and superusers, the districts a moderator moderates,
    or an empty list (no report at all)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return ALL_DISTRICTS
    home = Page.objects.filter(depth=2).first()
    if home is not None and home.permissions_for_user(user).can_publish_subpage():
        return ALL_DISTRICTS
    from schools.models import SchoolRole

    return list(
        SchoolRole.objects.filter(
            group__in=user.groups.all(), role=SchoolRole.MODERATOR
        ).values_list("page_id", flat=True)
    )


def can_view_report(user) -> bool:
    return report_districts(user) != []


class ParticipationReportView(ReportView):
    page_title = "参与情况统计"
    template_name = "showcase/admin/participation_report.html"
    header_icon = "table"
    index_url_name = "participation_report"
    index_results_url_name = "participation_report_results"
    paginate_by = None
    dimension = "district"

    def dispatch(self, request, *args, **kwargs):
        self.district_ids = report_districts(request.user)
        if self.district_ids == []:
            raise PermissionDenied
        self.dimension = kwargs.get("dimension", "district")
        if self.dimension not in DIMENSIONS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.dimension])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.dimension])

    def get_page_subtitle(self):
        year = self.year
        return f"{DIMENSIONS[self.dimension]}（{year}年）" if year else DIMENSIONS[self.dimension]

    @property
    def year(self) -> int | None:
        raw = (self.request.GET.get("year") or "").strip()
        if raw.isdigit() and 2000 <= int(raw) <= 2100:
            return int(raw)
        return None

    def get_queryset(self):
        self.report_columns, rows = participation_rows(
            self.dimension, self.year, district_ids=self.district_ids
        )
        return rows

    def filter_queryset(self, queryset):
        return queryset

    @property
    def list_export(self):
        return ["label", *(key for key, _heading in self.report_columns)]

    @property
    def export_headings(self):
        return {"label": self.label_heading, **dict(self.report_columns)}

    @property
    def label_heading(self) -> str:
        return {"district": "区县", "audience": "学习对象", "month": "月份"}[self.dimension]

    @property
    def columns(self):
        return [
            Column("label", label=self.label_heading),
            *(Column(key, label=heading) for key, heading in self.report_columns),
        ]

    def stream_csv(self, queryset):
        yield "\ufeff"  # the BOM: Excel reads the file as UTF-8, not the local code page
        yield from super().stream_csv(queryset)

    def write_xlsx(self, queryset, output):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(title=SHEET_TITLE)
        worksheet.append(self.get_heading(queryset, field) for field in self.list_export)
        for item in queryset:
            worksheet.append(item.get(field, "") for field in self.list_export)
        workbook.save(output)

    def get_filename(self):
        return f"participation-{self.dimension}-{timezone.localdate():%Y%m%d}"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["own_districts_only"] = self.district_ids is not ALL_DISTRICTS
        context["dimension_links"] = [
            (key, label, reverse(self.index_url_name, args=[key]))
            for key, label in DIMENSIONS.items()
        ]
        return context
