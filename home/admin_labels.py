"""Chinese labels for the few admin fields and columns Wagtail labels from their code names
("Port", "Site name", "Page", "External link text"), which no catalog can translate. Form and
column labels only, never model fields, so no migration follows."""

from __future__ import annotations


def apply() -> None:
    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.contrib.search_promotions.forms import SearchPromotionForm
    from wagtail.sites.views import IndexView as SiteIndexView
    from wagtail.users.forms import PagePermissionsForm

    SearchPromotionForm.base_fields["external_link_text"].label = "外部链接文字"
    PagePermissionsForm.base_fields["page"].label = "页面"
    WorkflowPageForm.base_fields["page"].label = "页面"
    site_labels = {"port": "端口", "site_name": "站点名称", "root_page": "根页面"}
    for column in SiteIndexView.columns:
        if column.name in site_labels:
            column.label = site_labels[column.name]
