"""Chinese labels for the few admin fields and columns Wagtail labels from their code names
("Port", "Site name", "Page", "External link text"), which no catalog can translate. Form and
column labels only, never model fields, so no migration follows."""

from __future__ import annotations


def apply() -> None:
    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.contrib.search_promotions.forms import SearchPromotionForm
    from wagtail.sites.views import IndexView as SiteIndexView
    from wagtail.users.forms import PagePermissionsForm

    _label_on_init(SearchPromotionForm, "external_link_text", "外部链接文字")
    PagePermissionsForm.base_fields["page"].label = "页面"
    WorkflowPageForm.base_fields["page"].label = "页面"
    site_labels = {"port": "端口", "site_name": "站点名称", "root_page": "根页面"}
    for column in SiteIndexView.columns:
        if column.name in site_labels:
            column.label = site_labels[column.name]


def _label_on_init(form_class, field_name: str, label: str) -> None:
    """For a field the formset factory rebuilds from the model (base_fields would not last)."""
    original_init = form_class.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if field_name in self.fields:
            self.fields[field_name].label = label

    form_class.__init__ = __init__
