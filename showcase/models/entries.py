"""Learning organisations and model projects (学习型组织, 示范项目, 优秀成果, 百姓学习之星):
the entries, their filters and their index pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtailmedia.edit_handlers import MediaChooserPanel

from core.segmentation import SegmentedSearchMixin
from home.api import name_of
from home.blocks import BodyStreamBlock
from home.cards import CARD_RENDITIONS, prefetch_renditions
from home.filters import (
    ChoiceFilter,
    DistrictFilter,
    IndexFilters,
    VocabularyFilter,
)
from home.models import Category
from home.page_base import BasePage, FilteredIndexPage
from home.queries import live_public
from schools.directory import district_of
from schools.models import (
    SCHOOL_PAGE_TYPES,
    CommunityCentrePage,
    CommunityCollegePage,
    CommunitySchoolPage,
    CommunityUniversityPage,
)

COVER_RENDITION = "fill-960x540|format-webp"
GALLERY_RENDITION = "fill-640x427|format-webp"
POSTER_RENDITION = "fill-960x540"  # includes/media_player.html
FIRST_YEAR = 2013  # the year of the policy (郑政办文〔2013〕13号) that started the recognitions


class OrganisationKind(models.TextChoices):
    CITY_DISTRICT = "district", _("学习型城区")
    AGENCY = "agency", _("学习型机关")
    UNIT = "unit", _("学习型单位")
    SUBDISTRICT = "subdistrict", _("学习型街道")
    TOWNSHIP = "township", _("学习型乡镇")
    COMMUNITY = "community", _("学习型社区")
    COURTYARD = "courtyard", _("学习型楼院")
    FAMILY = "family", _("学习型家庭")


class HonourKind(models.TextChoices):
    PROJECT = "project", _("示范项目")
    ACHIEVEMENT = "achievement", _("优秀成果")
    STAR = "star", _("百姓学习之星")


# --- Filters ----------------------------------------------------------------------------------


def card_image_prefetch():
    return Prefetch(
        "cover_image", queryset=get_image_model().objects.prefetch_renditions(*CARD_RENDITIONS)
    )


def showcase_districts():
    """The districts an entry can name, in official order (one query, when the form needs them)."""
    return (
        live_public(CommunityCollegePage.objects.all())
        .order_by("path")
        .only("pk", "slug", "district_name")
    )


def year_choices() -> list[tuple[int, int]]:
    """Every recognition year since the policy, newest first (no query: listings stay lean)."""
    return [(year, year) for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class EntryFilters(IndexFilters):
    sorts = {
        "newest": (_("最近年度"), ["-year", "title", "pk"]),
        "title": (_("按名称"), ["title", "pk"]),
    }
    default_sort = "newest"

    def __init__(self, data, *, years, kind_choices, with_category=False):
        self.years = years
        self.kind_choices = kind_choices
        self.with_category = with_category
        super().__init__(data)

    def build_filters(self):
        filters = [
            ChoiceFilter("year", "年度", lookup="year", choices=self.years),
            ChoiceFilter("kind", "类型", lookup="kind", choices=self.kind_choices),
            DistrictFilter("district", "区县", showcase_districts, lookup="district"),
        ]
        if self.with_category:
            filters.append(VocabularyFilter("category", "内容类别", Category, lookup="category"))
        return filters


# --- Showcase entries -------------------------------------------------------------------------


class ShowcasePhoto(Orderable):
    """A photo of a showcase entry (either type), in the editor's order."""

    page = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="showcase_photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("图片"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("照片")
        verbose_name_plural = _("照片")


class ShowcaseEntry(BasePage):
    """What learning organisations and honours share: the year, where, a story, photos, video."""

    # The page shows these; the school only by title and link, so its plain Page row will do.
    detail_select_related = ("cover_image", "district", "school", "video")

    year = models.PositiveSmallIntegerField(
        _("命名/评选年度"),
        db_index=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)],
    )
    district = models.ForeignKey(
        CommunityCollegePage,
        verbose_name=_("所在区县"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("选择了社区学校时可留空，自动取学校所在区县。"),
    )
    school = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("所属学校或学习点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("选择后，该学校页面会显示这一条目。"),
    )
    summary = models.TextField(
        _("摘要"), max_length=300, help_text=_("列表和分享时显示，300 字以内。")
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video = models.ForeignKey(
        "wagtailmedia.Media",
        verbose_name=_("视频"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"type": "video"},
    )
    story = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("事迹介绍"))

    where_panels = [
        MultiFieldPanel(
            [
                FieldPanel("year"),
                FieldPanel("district"),
                PageChooserPanel("school", page_type=SCHOOL_PAGE_TYPES),
            ],
            heading=_("年度与地点"),
        )
    ]
    story_panels = [
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("story"),
        MediaChooserPanel("video", media_type="video"),
        InlinePanel("showcase_photos", heading=_("照片"), label=_("照片")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("story"),
        index.FilterField("year"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    api_fields = [
        APIField("year"),
        APIField("kind"),
        APIField("district_label"),
        APIField("summary"),
        APIField("cover_image"),
        APIField("story"),
    ]

    subpage_types: list[str] = []
    og_type = "article"

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.school_id and self.school.specific_class not in _school_classes():
            raise ValidationError({"school": _("请选择社区学校目录中的学校或学习点。")})

    def save(self, *args, **kwargs):
        if self.school_id and not self.district_id:
            district = district_of(self.school)
            self.district_id = district.pk if district else None
        return super().save(*args, **kwargs)

    @property
    def district_label(self) -> str:
        return self.district.district_name if self.district_id else ""

    @property
    def card_image(self):
        return self.cover_image

    @property
    def card_label(self) -> str:
        return self.get_kind_display()

    @property
    def card_meta(self) -> str:
        return " · ".join(part for part in (f"{self.year}年", self.district_label) if part)

    @property
    def card_summary(self) -> str:
        return self.summary

    @classmethod
    def with_card_data(cls, queryset, images=True):
        queryset = queryset.select_related("district").defer_streamfields()
        return queryset.prefetch_related(card_image_prefetch()) if images else queryset

    @classmethod
    def listed(cls):
        return cls.with_card_data(live_public(cls.objects.all())).order_by("-year", "title", "pk")

    @classmethod
    def listed_without_images(cls):
        """For a page that prefetches the cover images of several lists at once."""
        return cls.with_card_data(live_public(cls.objects.all()), images=False).order_by(
            "-year", "title", "pk"
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        photos = list(self.showcase_photos.select_related("image"))
        # The cover's and every photo's rendition in one query.
        prefetch_renditions(
            [self.cover_image, *(photo.image for photo in photos)],
            COVER_RENDITION,
            GALLERY_RENDITION,
            POSTER_RENDITION,
        )
        context["photos"] = photos
        school = self.school if self.school_id else None
        context["school"] = school if school is not None and school.live else None
        context["index_page"] = self.get_parent()
        return context


def _school_classes():
    return (CommunityUniversityPage, CommunityCollegePage, CommunityCentrePage, CommunitySchoolPage)


class LearningOrganisationPage(ShowcaseEntry):
    """A recognised learning organisation: from a whole district down to one family."""

    kind = models.CharField(
        _("组织类型"), max_length=12, choices=OrganisationKind.choices, db_index=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        *ShowcaseEntry.where_panels,
        *ShowcaseEntry.story_panels,
    ]
    search_fields = [*ShowcaseEntry.search_fields, index.FilterField("kind")]

    parent_page_types = ["showcase.LearningOrganisationIndexPage"]
    template = "showcase/showcase_entry.html"

    class Meta:
        verbose_name = _("学习型组织")
        verbose_name_plural = _("学习型组织")


class HonourPage(ShowcaseEntry):
    """A model project, an outstanding achievement or a 百姓学习之星 (a resident who learns)."""

    detail_select_related = (*ShowcaseEntry.detail_select_related, "category")

    kind = models.CharField(_("评选类别"), max_length=12, choices=HonourKind.choices, db_index=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("内容类别"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("category")]),
        *ShowcaseEntry.where_panels,
        *ShowcaseEntry.story_panels,
    ]
    search_fields = [*ShowcaseEntry.search_fields, index.FilterField("kind")]
    api_fields = [*ShowcaseEntry.api_fields, name_of("category")]

    parent_page_types = ["showcase.HonourIndexPage"]
    template = "showcase/showcase_entry.html"

    class Meta:
        verbose_name = _("示范项目与学习之星")
        verbose_name_plural = _("示范项目与学习之星")

    @property
    def card_meta(self) -> str:
        category = self.category.name if self.category_id else ""
        return " · ".join(part for part in (super().card_meta, category) if part)

    @classmethod
    def with_card_data(cls, queryset, images=True):
        return super().with_card_data(queryset, images=images).select_related("category")


# --- Index pages ------------------------------------------------------------------------------


class FilteredEntryIndex(FilteredIndexPage):
    """An index of one entry type with filters by year, kind and district."""

    api_fields = [APIField("intro")]

    parent_page_types = ["showcase.ShowcaseIndexPage"]
    max_count = 1
    per_page = 12

    entry_model: type[ShowcaseEntry]
    kind_choices: list = []
    with_category = False

    class Meta:
        abstract = True

    listing_name = "entries"

    def get_filters(self, request):
        return EntryFilters(
            request.GET,
            years=year_choices(),
            kind_choices=self.kind_choices,
            with_category=self.with_category,
        )

    def get_listing(self, request, filters):
        return self.entry_model.listed()


class LearningOrganisationIndexPage(FilteredEntryIndex):
    subpage_types = ["showcase.LearningOrganisationPage"]
    template = "showcase/entry_index_page.html"
    entry_model = LearningOrganisationPage
    kind_choices = OrganisationKind.choices

    class Meta:
        verbose_name = _("学习型组织名录")


class HonourIndexPage(FilteredEntryIndex):
    subpage_types = ["showcase.HonourPage"]
    template = "showcase/entry_index_page.html"
    entry_model = HonourPage
    kind_choices = HonourKind.choices
    with_category = True

    class Meta:
        verbose_name = _("示范项目与学习之星名录")


class ShowcaseIndexPage(BasePage):
    """/showcase/: the two lists side by side, newest recognitions first."""

    intro = models.TextField(_("导语"), blank=True, max_length=300)
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("补充说明"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["showcase.LearningOrganisationIndexPage", "showcase.HonourIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("学习型组织与示范项目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        groups = []
        for index_model in (LearningOrganisationIndexPage, HonourIndexPage):
            index_page = live_public(index_model.objects.child_of(self)).first()
            if index_page is not None:
                entries = index_model.entry_model.listed_without_images()[:4]
                groups.append({"index": index_page, "entries": list(entries)})
        # One image query and one rendition query for both lists.
        prefetch_related_objects(
            [entry for group in groups for entry in group["entries"]], card_image_prefetch()
        )
        context["groups"] = groups
        return context
