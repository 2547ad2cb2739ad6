"""/statistics/: the page showing the network's headline figures (see showcase.statistics)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from core.segmentation import SegmentedSearchMixin
from home.page_base import BasePage

from ..statistics import headline_figures


class StatisticsPage(BasePage):
    """/statistics/: the network's headline figures, counted from what is published."""

    intro = models.TextField(_("导语"), blank=True, max_length=300)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("数据统计")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["figures"] = headline_figures()
        return context
