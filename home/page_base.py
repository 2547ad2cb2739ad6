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

from wagtail.models import Page

from core.segmentation import SegmentedSearchMixin

from .pages import SitePageMixin


class BasePage(SitePageMixin, SegmentedSearchMixin, Page):
    class Meta:
        abstract = True
