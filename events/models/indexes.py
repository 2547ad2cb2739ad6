"""The index pages of events: the unified calendar and 郑州讲坛."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from core.segmentation import SegmentedSearchMixin
from home.page_base import BasePage

from ..views import calendar_ics, calendar_view, forum_view, series_ics


class EventIndexPage(BasePage, RoutablePageMixin, Page):
    """The unified calendar (/calendar/): every event occurrence and lecture on the site."""

    intro = models.TextField(_("导语"), blank=True, max_length=300)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("活动日历")

    @path("")
    def calendar(self, request):
        return calendar_view(self, request)

    @path("ics/")
    def ics(self, request):
        return calendar_ics(self, request)


class ForumIndexPage(BasePage, RoutablePageMixin, Page):
    """郑州讲坛: upcoming lectures first, then the archive with filters."""

    intro = models.TextField(_("导语"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.LecturePage"]
    max_count = 1

    class Meta:
        verbose_name = _("郑州讲坛")

    @path("")
    def lectures(self, request):
        return forum_view(self, request)

    @path("ics/")
    def ics(self, request):
        return series_ics(self, request)
