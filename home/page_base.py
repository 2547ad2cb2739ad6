"""The abstract base of every page model of the site.

Each page type needs ``SitePageMixin`` (flat routing and view-restriction SQL) and
``SegmentedSearchMixin`` (Chinese search text) before Wagtail's ``Page``; ``BasePage`` carries
them so a page class names one base. It is abstract and declares no fields: no migration.

A routable page lists ``RoutablePageMixin`` *after* ``BasePage`` and before ``Page``
(``class CalendarPage(BasePage, RoutablePageMixin, Page)``), which keeps the order the mixins
had when each class listed them: the site's mixins first, then Wagtail's sub-routing, then
``Page``. A form page does the same with its form base (``BasePage, AbstractEmailForm``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from core.segmentation import SegmentedSearchMixin

from .filters import FilteredIndexMixin
from .pages import SitePageMixin


class BasePage(SitePageMixin, SegmentedSearchMixin, Page):
    class Meta:
        abstract = True


class FilteredIndexPage(FilteredIndexMixin, BasePage):
    """The base of a filtered listing page (resources, courses, news, showcase entries): the
    listing mechanism of ``home.filters`` plus the one field every such page has, its 导语.
    Abstract, and the field is declared as each page declared it: no migration."""

    intro = models.TextField(_("导语"), blank=True, max_length=300)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]

    class Meta:
        abstract = True
