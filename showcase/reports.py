"""参与情况统计: an admin report (Wagtail's ReportView) of published events, lectures and
occurrences by district, audience or month, with Wagtail's CSV/XLSX export."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from .statistics import DIMENSIONS, participation_rows


def can_view_report(user) -> bool:
    """City-wide figures are for those who may publish anywhere on the site (全站编辑)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    home = Page.objects.filter(depth=2).first()
    return home is not None and home.permissions_for_user(user).can_publish_subpage()


class ParticipationReportView(ReportView):
    page_title = "参与情况统计"
    template_name = "showcase/admin/participation_report.html"
    header_icon = "table"
    index_url_name = "participation_report"
    index_results_url_name = "participation_report_results"
    paginate_by = None
    dimension = "district"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_report(request.user):
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
        self.report_columns, rows = participation_rows(self.dimension, self.year)
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

    def get_filename(self):
        return f"participation-{self.dimension}-{timezone.localdate():%Y%m%d}"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["dimension_links"] = [
            (key, label, reverse(self.index_url_name, args=[key]))
            for key, label in DIMENSIONS.items()
        ]
        return context
