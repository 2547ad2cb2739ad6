"""The yearly festivals: 全民终身学习活动周 and 绿城读书节, their editions and recommended books."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.segmentation import SegmentedSearchMixin
from home.blocks import BodyStreamBlock
from home.cards import prefetch_renditions
from home.filters import mark_refused
from home.page_base import BasePage
from home.queries import live_public

from ..views import edition_context, edition_ics, place_subscription


class EditionIndexPage(BasePage):
    """The home of a yearly festival: an introduction and its editions, newest first."""

    edition_model_name: str = ""

    intro = models.TextField(_("导语"), blank=True, max_length=500)
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("介绍"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    parent_page_types = ["home.HomePage"]
    max_count = 1

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        edition_model = apps.get_model(self.edition_model_name)
        context["editions"] = live_public(edition_model.objects.child_of(self)).order_by(
            "-start_date"
        )
        context["subscription"] = place_subscription(request, self)
        return context


class LearningWeekIndexPage(EditionIndexPage):
    edition_model_name = "events.LearningWeekPage"
    subpage_types = ["events.LearningWeekPage"]
    template = "events/edition_index_page.html"

    class Meta:
        verbose_name = _("全民终身学习活动周")


class EditionPage(BasePage, RoutablePageMixin, Page):
    """A dated edition of a festival (a Learning Week, a reading festival) holding its events."""

    theme = models.CharField(_("主题"), max_length=120)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    organisers = models.TextField(_("主办与承办单位"), blank=True)
    intro = models.TextField(_("导语"), blank=True, max_length=500)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("介绍"))

    edition_panels = [
        FieldPanel("theme"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("organisers"),
        FieldPanel("intro"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
    ]
    subpage_types = ["events.EventPage"]
    search_fields = [
        *Page.search_fields,
        index.SearchField("theme"),
        index.SearchField("intro"),
        index.SearchField("body"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})

    @property
    def date_range_label(self) -> str:
        start, end = self.start_date, self.end_date
        if start.year == end.year:
            return f"{start.year}年{start.month}月{start.day}日至{end.month}月{end.day}日"
        return f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}"

    def is_on(self, today: datetime.date) -> bool:
        return self.start_date <= today <= self.end_date

    detail_select_related = ("cover_image",)
    detail_renditions = ("fill-960x400|format-webp", "fill-120x170|format-webp")

    def detail_images(self) -> list:
        """The images the page shows, so their renditions come in one query."""
        return [self.cover_image] if self.cover_image_id else []

    @path("")
    def edition(self, request):
        prefetch_renditions(self.detail_images(), *self.detail_renditions)
        context = self.get_context(request)
        context.update(edition_context(self, request))
        return mark_refused(self.render(request, context_overrides=context), context)

    @path("ics/")
    def ics(self, request):
        return edition_ics(self, request)


class LearningWeekPage(EditionPage):
    """One year's 全民终身学习活动周."""

    content_panels = [*Page.content_panels, *EditionPage.edition_panels]
    parent_page_types = ["events.LearningWeekIndexPage"]

    class Meta:
        verbose_name = _("活动周（年度）")


class ReadingFestivalIndexPage(EditionIndexPage):
    edition_model_name = "events.ReadingFestivalPage"
    subpage_types = ["events.ReadingFestivalPage"]
    template = "events/edition_index_page.html"

    class Meta:
        verbose_name = _("绿城读书节")


def validate_isbn(value: str) -> None:
    """ISBN-10 or ISBN-13 with a correct check digit; hyphens and spaces are ignored."""
    digits = value.replace("-", "").replace(" ", "").upper()
    valid = False
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        valid = (10 - total % 10) % 10 == int(digits[12])
    elif len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
        check = 10 if digits[9] == "X" else int(digits[9])
        valid = (total + check) % 11 == 0
    if not valid:
        raise ValidationError(_("ISBN 无效，请核对（10 位或 13 位，最后一位是校验码）。"))


class RecommendedBook(Orderable):
    page = ParentalKey("events.ReadingFestivalPage", on_delete=models.CASCADE, related_name="books")
    title = models.CharField(_("书名"), max_length=120)
    author = models.CharField(_("作者"), max_length=120)
    publisher = models.CharField(_("出版社"), max_length=120, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True, validators=[validate_isbn])
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recommendation = models.TextField(_("推荐语"), blank=True, max_length=400)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("author"), FieldPanel("publisher")]),
        FieldPanel("isbn"),
        FieldPanel("cover"),
        FieldPanel("recommendation"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("推荐书目")


class ReadingFestivalPage(EditionPage):
    """One edition (第N届) of the 绿城读书节, with its recommended books and events."""

    edition_number = models.PositiveSmallIntegerField(_("届次"), help_text=_("例如第 12 届填 12。"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("edition_number"),
        *EditionPage.edition_panels,
        InlinePanel("books", heading=_("推荐书目"), label=_("图书")),
    ]
    parent_page_types = ["events.ReadingFestivalIndexPage"]

    class Meta:
        verbose_name = _("读书节（届）")

    @classmethod
    def detail_queryset(cls):
        books = RecommendedBook.objects.select_related("cover")
        return super().detail_queryset().prefetch_related(Prefetch("books", queryset=books))

    def detail_images(self) -> list:
        return super().detail_images() + [book.cover for book in self.books.all() if book.cover_id]
