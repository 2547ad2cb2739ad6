"""News (新闻动态) and notices (通知公告): dated articles; notices can stay on the home page
until an expiry date chosen by the editor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.segmentation import SegmentedSearchMixin
from home.blocks import BodyStreamBlock
from home.cards import card_prefetches
from home.filters import ChoiceFilter, IndexFilters, TagFilter
from home.page_base import BasePage, FilteredIndexPage
from home.queries import live_public


class NewsKind(models.TextChoices):
    NEWS = "news", _("新闻动态")
    NOTICE = "notice", _("通知公告")


class TaggedNews(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPage(BasePage):
    kind = models.CharField(
        _("栏目"), max_length=10, choices=NewsKind.choices, default=NewsKind.NEWS, db_index=True
    )
    date = models.DateField(_("发布日期"), default=timezone.localdate, db_index=True)
    source = models.CharField(
        _("来源"), max_length=120, blank=True, help_text=_("例如：金水区社区学院、市教育局。")
    )
    summary = models.TextField(
        _("摘要"), max_length=300, help_text=_("列表、订阅和分享时显示，300 字以内。")
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("正文"))
    pinned_until = models.DateField(
        _("首页显示至"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("仅用于通知公告：在首页“通知公告”栏显示到这一天（含当天），过期后自动撤下。"),
    )
    tags = ClusterTaggableManager(through=TaggedNews, blank=True, verbose_name=_("标签"))

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldPanel("pinned_until"),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("source"), FieldPanel("tags")], heading=_("来源与标签")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("source"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("kind"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    api_fields = [
        APIField("kind"),
        APIField("date"),
        APIField("source"),
        APIField("summary"),
        APIField("cover_image"),
        APIField("body"),
        APIField("tags"),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("新闻/通知")
        verbose_name_plural = _("新闻/通知")

    def clean(self):
        super().clean()
        if self.pinned_until and self.kind != NewsKind.NOTICE:
            raise ValidationError({"pinned_until": _("只有通知公告可以在首页置顶显示。")})

    # --- Cards and sharing -------------------------------------------------------------------

    @property
    def card_image(self):
        return self.cover_image

    @property
    def card_label(self) -> str:
        return self.get_kind_display()

    @property
    def card_meta(self) -> str:
        parts = [f"{self.date:%Y年%-m月%-d日}"]
        if self.source:
            parts.append(self.source)
        return " · ".join(parts)

    @property
    def card_summary(self) -> str:
        return self.summary

    og_type = "article"

    @classmethod
    def with_card_data(cls, queryset):
        # The cover joins the row; its card rendition is one query for the list, or comes with
        # every other card's on a page of several lists (home.cards).
        return (
            queryset.select_related("cover_image")
            .prefetch_related(*card_prefetches("cover_image"))
            .defer_streamfields()
        )

    @classmethod
    def listed(cls):
        """Live, public articles ready for cards, newest first."""
        return cls.with_card_data(live_public(cls.objects.all())).order_by("-date", "-pk")

    @classmethod
    def pinned_notices(cls, today=None):
        """Notices whose home-page display has not expired (the expiry day itself included)."""
        today = today or timezone.localdate()
        return cls.listed().filter(kind=NewsKind.NOTICE, pinned_until__gte=today)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["page_tags"] = list(self.tags.all())
        context["index_page"] = self.get_parent()
        return context


class NewsFilters(IndexFilters):
    sorts = {
        "newest": (_("最新发布"), ["-date", "-pk"]),
        "oldest": (_("最早发布"), ["date", "pk"]),
    }
    default_sort = "newest"

    def __init__(self, data, years=()):
        self.years = years
        super().__init__(data)

    def build_filters(self):
        return [
            ChoiceFilter("kind", "栏目", lookup="kind", choices=NewsKind.choices),
            ChoiceFilter(
                "year", "年份", lookup="date__year", choices=[(year, year) for year in self.years]
            ),
            TagFilter("tag", "标签", lookup="tags"),
        ]


class NewsIndexPage(FilteredIndexPage):
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count = 1

    per_page = 12

    class Meta:
        verbose_name = _("新闻与通知栏目")

    def years(self) -> list[int]:
        """Years that have a live article, newest first (one query)."""
        return list(
            live_public(NewsPage.objects.all())
            .annotate(year=ExtractYear("date"))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )

    listing_name = "articles"

    def get_filters(self, request):
        return NewsFilters(request.GET, years=self.years())

    def get_listing(self, request, filters):
        return NewsPage.listed()
