"""Events, lectures and the festivals: everything that happens at a time and place.

Every dated page here keeps its times as ``home.Occurrence`` rows, so the unified calendar,
the iCalendar feeds and (later) sign-up read one table whatever the page type.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Max, Min, Prefetch, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.public_urls import public_url
from core.segmentation import SegmentedSearchMixin
from home.api import name_of, names_of
from home.attendance import Attendance, event_attendance
from home.blocks import BodyStreamBlock
from home.cards import card_prefetches, prefetch_renditions
from home.models import Audience, Category, Occurrence
from home.page_base import BasePage
from learning_resources.recordings import (
    RecordingFieldsMixin,
    recording_media_field,
)
from schools.directory import district_of
from schools.models import SCHOOL_PAGE_TYPES, SchoolPage

from ..ical import ics_response


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    CANCELLED = "cancelled", _("已取消")
    POSTPONED = "postponed", _("已延期")
    MOVED_ONLINE = "online", _("改为线上")


SCHEMA_EVENT_STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    EventStatus.MOVED_ONLINE: "https://schema.org/EventMovedOnline",
}


class CalendarPage(BasePage, RoutablePageMixin, Page):
    """What events and lectures share: times (occurrences), place, audiences, category, status."""

    summary = models.TextField(
        _("摘要"), max_length=300, help_text=_("列表和日历中显示，300 字以内。")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    venue = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("举办地点（学校）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("在社区学校目录中选择举办地点；不在目录中的地点请填写下方地址。"),
    )
    venue_address = models.CharField(_("地址"), max_length=200, blank=True)
    online_url = models.URLField(_("线上参与链接"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audiences = ParentalManyToManyField(
        Audience, verbose_name=_("学习对象"), blank=True, related_name="%(app_label)s_%(class)s_set"
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("内容类别"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    time_and_place_panels = [
        InlinePanel("occurrences", heading=_("时间"), label=_("场次"), min_num=1),
        FieldPanel("status"),
        MultiFieldPanel(
            [
                PageChooserPanel("venue", page_type=SCHOOL_PAGE_TYPES),
                FieldPanel("venue_address"),
                FieldPanel("online_url"),
            ],
            heading=_("地点"),
        ),
    ]
    taxonomy_panels = [
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading=_("分类与标签"),
        )
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("venue_address"),
        index.FilterField("status"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    api_fields = [
        APIField("summary"),
        APIField("status"),
        APIField("occurrences"),
        APIField("venue"),
        APIField("venue_address"),
        APIField("online_url"),
        APIField("cover_image"),
        name_of("category"),
        names_of("audiences", "audience_names"),
        APIField("tags"),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.status == EventStatus.MOVED_ONLINE and not self.online_url:
            raise ValidationError({"online_url": _("改为线上的活动请填写线上参与链接。")})

    # --- Times --------------------------------------------------------------------------

    @cached_property
    def all_occurrences(self) -> list[Occurrence]:
        return sorted(self.occurrences.all(), key=lambda occurrence: occurrence.start)

    def upcoming_occurrences(self, now=None) -> list[Occurrence]:
        now = now or timezone.now()
        return [occurrence for occurrence in self.all_occurrences if occurrence.end >= now]

    @property
    def next_occurrence(self) -> Occurrence | None:
        upcoming = self.upcoming_occurrences()
        return upcoming[0] if upcoming else None

    def occurrence_is_cancelled(self, occurrence: Occurrence) -> bool:
        return occurrence.cancelled or self.status == EventStatus.CANCELLED

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @cached_property
    def attendance(self) -> Attendance:
        """How to attend (需报名 / 免费入场，无需报名 / 已结束…), said once near the top."""
        return event_attendance(self)

    # --- Place --------------------------------------------------------------------------

    @cached_property
    def venue_page(self):
        return self.venue.specific if self.venue_id else None

    @property
    def place_label(self) -> str:
        """The venue as a resident reads it: the school's name and address, or the address."""
        venue = self.venue_page
        if venue is not None:
            address = getattr(venue, "address", "")
            return f"{venue.title}（{address}）" if address else venue.title
        return self.venue_address

    @property
    def location_text(self) -> str:
        """Place as plain text for calendars: address first, so a phone's map can find it."""
        venue = self.venue_page
        if venue is not None:
            address = self.venue_address or getattr(venue, "address", "")
            return f"{address} {venue.title}".strip()
        if self.status == EventStatus.MOVED_ONLINE:
            return self.online_url
        return self.venue_address

    def district(self):
        """The district (tier-2 page) this page sits under, else its venue's district."""
        return district_of(self) or (district_of(self.venue_page) if self.venue_page else None)

    # --- Cards and structured data --------------------------------------------------------

    @property
    def card_image(self):
        return self.cover_image

    @property
    def status_label(self) -> str:
        """The status unless it is the usual 已安排: 已取消, 已延期 or 改为线上; else ""."""
        return self.get_status_display() if self.status != EventStatus.SCHEDULED else ""

    @property
    def is_over(self) -> bool:
        """Every session has ended (the occurrences come with the cards)."""
        return bool(self.all_occurrences) and self.next_occurrence is None

    @property
    def card_label(self) -> str:
        # Past and coming events share the tag page and the search results: a past one says so.
        return self.status_label or (_("已结束") if self.is_over else "")

    @property
    def card_summary(self) -> str:
        return self.summary

    @property
    def card_meta(self) -> str:
        occurrence = self.next_occurrence or (
            self.all_occurrences[-1] if self.all_occurrences else None
        )
        when = (
            timezone.localtime(occurrence.start).strftime("%Y年%-m月%-d日 %H:%M")
            if occurrence
            else ""
        )
        # The venue's title comes with the listing's select_related; its address would cost a query.
        place = self.venue.title if self.venue_id else self.venue_address
        return " · ".join(part for part in (when, place) if part)

    # home.cards.prefetch_card_data loads the occurrences card_meta reads.
    card_needs_occurrences = True

    @classmethod
    def in_time_order(cls, queryset, now=None):
        """Those still to come first, soonest first, then the past ones, latest first (the
        home page's 郑州讲坛, a tag page's events and lectures)."""
        now = now or timezone.now()
        queryset = queryset.annotate(
            next_start=Min("occurrences__start", filter=Q(occurrences__end__gte=now)),
            last_start=Max("occurrences__start"),
        )
        return queryset.order_by(
            F("next_start").asc(nulls_last=True), F("last_start").desc(nulls_last=True), "-pk"
        )

    @classmethod
    def with_card_data(cls, queryset):
        """What a card needs, in a fixed number of queries however many cards there are."""
        return (
            queryset.select_related("venue", "category", "cover_image")
            .prefetch_related(*card_prefetches("cover_image", occurrences=True))
            .defer_streamfields()
        )

    def structured_data(self, request) -> dict:
        occurrence = self.next_occurrence or (
            self.all_occurrences[0] if self.all_occurrences else None
        )
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "description": self.summary,
            "url": self.get_full_url(request),
            "eventStatus": SCHEMA_EVENT_STATUS[EventStatus(self.status)],
            "inLanguage": "zh-Hans",
            "isAccessibleForFree": True,
        }
        if occurrence is not None:
            data["startDate"] = timezone.localtime(occurrence.start).isoformat()
            data["endDate"] = timezone.localtime(occurrence.end).isoformat()
        if self.status == EventStatus.MOVED_ONLINE:
            data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
            data["location"] = {"@type": "VirtualLocation", "url": self.online_url}
        elif self.place_label:
            data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
            venue = self.venue_page
            data["location"] = {
                "@type": "Place",
                "name": venue.title if venue else self.venue_address,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": self.venue_address or getattr(venue, "address", ""),
                    "addressLocality": "郑州市",
                    "addressCountry": "CN",
                },
            }
        if self.cover_image_id:
            data["image"] = public_url(self.cover_image.get_rendition("fill-1200x675").url)
        return data

    detail_select_related = ("category", "cover_image", "venue")
    # The cover on the page, as the player's poster and in the structured data; speaker photos.
    detail_renditions = (
        "fill-960x540|format-webp",
        "fill-960x540",
        "fill-1200x675",
        "fill-160x160|format-webp",
    )

    @classmethod
    def detail_queryset(cls):
        return super().detail_queryset().prefetch_related("occurrences", "audiences", "tags")

    def detail_images(self) -> list:
        """The images the page shows, so their renditions come in one query."""
        return [self.cover_image] if self.cover_image_id else []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        prefetch_renditions(self.detail_images(), *self.detail_renditions)
        context["district"] = self.district()
        context["structured_data"] = self.structured_data(request)
        return context

    # --- Routes ----------------------------------------------------------------------------

    @path("ics/")
    def ics(self, request):
        return ics_response(
            request, [(self, occurrence) for occurrence in self.all_occurrences], name=self.title
        )


class EventPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "events.EventPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class EventPage(CalendarPage):
    """A community event, a Learning Week or reading-festival activity, or a weekly activity."""

    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("详细介绍"))
    organiser_name = models.CharField(
        _("主办单位"), max_length=120, blank=True, help_text=_("留空则显示活动所在的学校。")
    )
    cost = models.CharField(_("费用"), max_length=60, default="免费")
    how_to_join = models.TextField(
        _("参与方式"), blank=True, help_text=_("例如：无需报名，直接到场。")
    )
    join_url = models.URLField(_("报名链接"), blank=True)
    accessibility_notes = models.TextField(
        _("无障碍信息"), blank=True, help_text=_("例如：一楼活动室，有无障碍通道和座椅。")
    )
    tags = ClusterTaggableManager(through=EventPageTag, blank=True, verbose_name=_("标签"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        *CalendarPage.time_and_place_panels,
        MultiFieldPanel(
            [
                FieldPanel("organiser_name"),
                FieldRowPanel([FieldPanel("cost")]),
                FieldPanel("how_to_join"),
                FieldPanel("join_url"),
                FieldPanel("accessibility_notes"),
            ],
            heading=_("参与信息"),
        ),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        *CalendarPage.taxonomy_panels,
    ]
    search_fields = [
        *CalendarPage.search_fields,
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    api_fields = [
        *CalendarPage.api_fields,
        APIField("organiser_name"),
        APIField("cost"),
        APIField("how_to_join"),
        APIField("join_url"),
        APIField("body"),
    ]

    parent_page_types = [
        "events.EventIndexPage",
        "events.LearningWeekPage",
        "events.ReadingFestivalPage",
        *SCHOOL_PAGE_TYPES,
    ]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")

    @property
    def joining_notes(self) -> str:
        """参加须知, unless it says 无需报名 while the page takes sign-ups (never two answers)."""
        if self.attendance.needs_signup and "无需报名" in self.how_to_join:
            return ""
        return self.how_to_join

    @cached_property
    def organiser(self) -> str:
        """The named organiser, else the school this event is posted under."""
        if self.organiser_name:
            return self.organiser_name
        school = Page.objects.ancestor_of(self).type(SchoolPage).order_by("-depth").first()
        return school.title if school else ""


class LectureSpeaker(Orderable):
    page = ParentalKey("events.LecturePage", on_delete=models.CASCADE, related_name="speakers")
    person = models.ForeignKey(
        "home.Person", verbose_name=_("主讲人"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        verbose_name = _("主讲人")


class LectureDocument(Orderable):
    page = ParentalKey("events.LecturePage", on_delete=models.CASCADE, related_name="handouts")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("文档"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("显示名称"), max_length=120, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("课件与讲义")


# A session is "直播中" from a quarter of an hour before it starts (residents join early) to its end.
LIVE_LEAD = datetime.timedelta(minutes=15)


def is_hls_address(address: str) -> bool:
    return urlsplit(address).path.lower().endswith(".m3u8")


def live_stream_error(address: str) -> str:
    """Why the page cannot play this live address (for the editor), or "" if it can.

    The public pages' Content-Security-Policy decides: an HLS stream's origin must be allowed to
    serve media (CSP_MEDIA_SRC), a platform's player page to be framed (CSP_FRAME_SRC)."""
    if not address:
        return ""
    parts = urlsplit(address)
    if parts.scheme != "https":
        return _("直播地址必须以 https:// 开头。")
    origin = f"{parts.scheme}://{parts.netloc}"
    if is_hls_address(address):
        if origin not in settings.CSP_MEDIA_SRC:
            return _(
                "本网站还不能播放来自 %(origin)s 的直播流：请网站管理员把它加入 CSP_MEDIA_SRC。"
            ) % {"origin": origin}
    elif origin not in settings.CSP_FRAME_SRC:
        return _(
            "这个直播平台的播放页还不能嵌入本网站：请填写 .m3u8 直播流地址，"
            "或请网站管理员把 %(origin)s 加入 CSP_FRAME_SRC。"
        ) % {"origin": origin}
    return ""


class LecturePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "events.LecturePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class LecturePage(CalendarPage, RecordingFieldsMixin):
    """A 郑州讲坛 lecture: before it, the date and place; after it, the recording and transcript."""

    abstract = RichTextField(
        _("讲座简介"), blank=True, features=["bold", "italic", "ol", "ul", "link"]
    )
    # A lecture's recording is 录像/录音 to its editors; caption_file and transcript come from
    # RecordingFieldsMixin as they are.
    video = recording_media_field("video", _("录像"))
    audio = recording_media_field("audio", _("录音"))
    tags = ClusterTaggableManager(through=LecturePageTag, blank=True, verbose_name=_("标签"))
    live_stream_url = models.URLField(
        _("直播地址"),
        blank=True,
        max_length=500,
        help_text=_(
            "网上直播时填写：直播流地址（以 .m3u8 结尾），或允许嵌入的直播平台的播放页地址。"
            "每一场开始前 15 分钟到结束，本页显示“直播中”和播放器；结束后显示回放。"
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        InlinePanel("speakers", heading=_("主讲人"), label=_("主讲人"), min_num=1),
        *CalendarPage.time_and_place_panels,
        FieldPanel("cover_image"),
        FieldPanel("abstract"),
        MultiFieldPanel(
            [
                *RecordingFieldsMixin.recording_panels,
                FieldPanel("transcript"),
            ],
            heading=_("讲座回放"),
        ),
        FieldPanel("live_stream_url", heading=_("网上直播")),
        InlinePanel("handouts", heading=_("课件与讲义"), label=_("文档")),
        *CalendarPage.taxonomy_panels,
    ]
    search_fields = [
        *CalendarPage.search_fields,
        index.SearchField("abstract"),
        index.SearchField("transcript"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields(
            "speakers", [index.RelatedFields("person", [index.SearchField("name")])]
        ),
    ]

    api_fields = [
        *CalendarPage.api_fields,
        APIField("speaker_names"),
        APIField("abstract"),
        *RecordingFieldsMixin.recording_api_fields,
        APIField("transcript"),
        APIField("live_stream_url"),
    ]

    parent_page_types = ["events.ForumIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("郑州讲坛讲座")
        verbose_name_plural = _("郑州讲坛讲座")

    def clean(self):
        super().clean()
        errors = self.recording_errors()
        live_error = live_stream_error(self.live_stream_url)
        if live_error:
            errors["live_stream_url"] = live_error
        if errors:
            raise ValidationError(errors)

    @property
    def has_recording(self) -> bool:
        return bool(self.video_id or self.audio_id)

    @property
    def card_label(self) -> str:
        if not self.status_label and self.is_over and self.has_recording:
            return _("可看回放")
        return super().card_label

    # --- Live stream ----------------------------------------------------------------------

    @property
    def live_stream_kind(self) -> str:
        """ "hls" for a stream the page's own player plays, "embed" for a platform's player page."""
        if not self.live_stream_url:
            return ""
        return "hls" if is_hls_address(self.live_stream_url) else "embed"

    def live_occurrence(self, now=None) -> Occurrence | None:
        """The session being streamed now: from LIVE_LEAD before its start until its end."""
        if not self.live_stream_url or self.is_cancelled:
            return None
        now = now or timezone.now()
        for occurrence in self.all_occurrences:
            if not occurrence.cancelled and occurrence.start - LIVE_LEAD <= now <= occurrence.end:
                return occurrence
        return None

    def next_live_occurrence(self, now=None) -> Occurrence | None:
        """The next session that will be streamed, when none is live."""
        if not self.live_stream_url or self.is_cancelled:
            return None
        now = now or timezone.now()
        return next(
            (o for o in self.all_occurrences if not o.cancelled and o.start - LIVE_LEAD > now),
            None,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context["live_occurrence"] = self.live_occurrence(now)
        if context["live_occurrence"] is None:
            context["next_live_occurrence"] = self.next_live_occurrence(now)
        return context

    @property
    def speaker_names(self) -> list[str]:
        return [person.name for person in self.speaker_people]

    @cached_property
    def speaker_people(self):
        return [speaker.person for speaker in self.speakers.all()]

    detail_select_related = (
        *CalendarPage.detail_select_related,
        *RecordingFieldsMixin.recording_select_related,
    )

    @classmethod
    def detail_queryset(cls):
        return (
            super()
            .detail_queryset()
            .prefetch_related(
                Prefetch(
                    "speakers", queryset=LectureSpeaker.objects.select_related("person__photo")
                ),
                Prefetch("handouts", queryset=LectureDocument.objects.select_related("document")),
            )
        )

    def detail_images(self) -> list:
        return super().detail_images() + [
            person.photo for person in self.speaker_people if person.photo_id
        ]

    @classmethod
    def card_batch_prefetches(cls) -> list:
        """The speakers' names in card_meta (see home.cards)."""
        return [Prefetch("speakers", queryset=LectureSpeaker.objects.select_related("person"))]

    @classmethod
    def with_card_data(cls, queryset):
        return (
            super()
            .with_card_data(queryset)
            .prefetch_related(*card_prefetches(None, per_type=cls.card_batch_prefetches()))
            .defer("abstract", "transcript")
        )

    @property
    def card_meta(self) -> str:
        names = "、".join(person.name for person in self.speaker_people)
        return " · ".join(part for part in (names, super().card_meta) if part)

    def structured_data(self, request) -> dict:
        data = super().structured_data(request)
        data["@type"] = "EducationEvent"
        if self.speaker_people:
            data["performer"] = [
                {"@type": "Person", "name": person.name, "jobTitle": person.title}
                for person in self.speaker_people
            ]
        return data
