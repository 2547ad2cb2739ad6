"""Learning resources: videos, audio, documents and illustrated articles, tagged and filterable."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.page_cache import kept
from core.public_urls import public_url
from core.segmentation import SegmentedSearchMixin
from home.api import name_of, names_of
from home.blocks import BodyStreamBlock
from home.cards import batched_card_prefetches, card_prefetches, kept_cards, prefetch_card_data
from home.filters import (
    ChoiceFilter,
    IndexFilters,
    TagFilter,
    VocabularyFilter,
)
from home.models import Audience, Category
from home.page_base import BasePage, FilteredIndexPage
from home.queries import live_public

from ..recordings import RecordingFieldsMixin

POSTER_RENDITION = "fill-960x540"


class ResourceKind(models.TextChoices):
    VIDEO = "video", _("视频")
    AUDIO = "audio", _("音频")
    DOCUMENT = "document", _("文档")
    ARTICLE = "article", _("图文")


class TaggedResource(TaggedItemBase):
    """Tags of a resource, drawn from taggit's one shared Tag vocabulary."""

    content_object = ParentalKey(
        "learning_resources.ResourcePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


def format_duration(seconds: int | None) -> str:
    if not seconds:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def iso_duration(seconds: int | None) -> str:
    if not seconds:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"


class ResourcePage(BasePage, RecordingFieldsMixin):
    summary = models.TextField(
        _("摘要"), max_length=300, help_text=_("列表和分享时显示，300 字以内。")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("用于列表卡片，也是视频播放前显示的画面。"),
    )
    # video, audio, caption_file and transcript: RecordingFieldsMixin.
    duration_seconds = models.PositiveIntegerField(
        _("时长（秒）"), null=True, blank=True, help_text=_("留空则使用视频或音频文件记录的时长。")
    )
    external_url = models.URLField(
        _("外部链接"), blank=True, help_text=_("资源在其他网站上时，填写其地址。")
    )
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("正文"))
    source = models.CharField(_("来源"), max_length=120, blank=True)
    licence = models.CharField(
        _("使用许可"), max_length=120, blank=True, default="仅供个人学习使用"
    )
    audiences = ParentalManyToManyField(Audience, verbose_name=_("学习对象"), blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("内容类别"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(through=TaggedResource, blank=True, verbose_name=_("标签"))
    # Derived from what the page carries (see derive_kind) so that filtering is one SQL condition.
    kind = models.CharField(
        _("资源类型"),
        max_length=20,
        choices=ResourceKind.choices,
        default=ResourceKind.ARTICLE,
        editable=False,
        db_index=True,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                *RecordingFieldsMixin.recording_panels,
                FieldPanel("duration_seconds"),
                FieldPanel("external_url"),
            ],
            heading=_("音视频与链接"),
            help_text=_(
                "有视频的资源归为“视频”，否则有音频的归为“音频”，有附件的归为“文档”，其余为“图文”。"
            ),
        ),
        InlinePanel("documents", heading=_("附件文档"), label=_("文档")),
        InlinePanel("gallery_images", heading=_("图集"), label=_("图片")),
        FieldPanel("body"),
        FieldPanel("transcript"),
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading=_("分类与标签"),
        ),
        MultiFieldPanel([FieldPanel("source"), FieldPanel("licence")], heading=_("来源与许可")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("transcript"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("kind"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    api_fields = [
        APIField("kind"),
        APIField("summary"),
        APIField("image"),
        *RecordingFieldsMixin.recording_api_fields,
        APIField("duration"),
        APIField("external_url"),
        APIField("body"),
        APIField("transcript"),
        APIField("source"),
        APIField("licence"),
        name_of("category"),
        names_of("audiences", "audience_names"),
        APIField("tags"),
    ]

    parent_page_types = ["learning_resources.ResourceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("学习资源")
        verbose_name_plural = _("学习资源")

    # --- Derived values ---------------------------------------------------------------------

    def derive_kind(self) -> str:
        if self.video_id:
            return ResourceKind.VIDEO
        if self.audio_id:
            return ResourceKind.AUDIO
        if self.documents.all():
            return ResourceKind.DOCUMENT
        return ResourceKind.ARTICLE

    def save(self, *args, **kwargs):
        self.kind = self.derive_kind()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "kind" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "kind"]
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = self.recording_errors()
        if (self.caption_file_id or self.chapters_file_id) and not (self.video_id or self.audio_id):
            field = "caption_file" if self.caption_file_id else "chapters_file"
            errors.setdefault(field, _("只有视频或音频资源才需要字幕或章节文件。"))
        if self.video_id and self.video.type != "video":
            errors["video"] = _("请选择视频文件。")
        if self.audio_id and self.audio.type != "audio":
            errors["audio"] = _("请选择音频文件。")
        if errors:
            raise ValidationError(errors)

    @property
    def player_media(self):
        return self.video or self.audio

    @property
    def duration(self) -> int | None:
        if self.duration_seconds:
            return self.duration_seconds
        media = self.player_media
        return round(media.duration) if media is not None and media.duration else None

    @property
    def duration_display(self) -> str:
        return format_duration(self.duration)

    # --- Cards (includes/page_card.html) ----------------------------------------------------

    @property
    def card_image(self):
        return self.image

    @property
    def card_label(self) -> str:
        return self.get_kind_display()

    @property
    def card_meta(self) -> str:
        parts = []
        if self.category_id:
            parts.append(self.category.name)
        if self.duration_display:
            parts.append(f"时长 {self.duration_display}")
        audiences = [audience.name for audience in self.audiences.all()]
        if audiences:
            parts.append("、".join(audiences))
        return " · ".join(parts)

    @property
    def card_summary(self) -> str:
        return self.summary

    @classmethod
    def with_card_data(cls, queryset):
        """What a card needs, in a fixed number of queries however many cards there are."""
        return (
            queryset.select_related("category", "video", "audio", "image")
            .prefetch_related(*card_prefetches("image", per_type=cls.card_batch_prefetches()))
            .defer_streamfields()
            .defer("transcript")
        )

    @classmethod
    def card_batch_prefetches(cls) -> list:
        """The audiences in card_meta (see home.cards)."""
        return ["audiences"]

    @classmethod
    def listed(cls):
        """Live, public resources, ready for cards, newest first."""
        return cls.with_card_data(live_public(cls.objects.all())).order_by(
            "-first_published_at", "-pk"
        )

    # --- Page ------------------------------------------------------------------------------

    def related_resources(self, limit: int = 4):
        """Other live resources sharing tags with this one, most shared tags first (one query;
        kept until a resource or tag changes)."""

        def find():
            my_tag_ids = TaggedResource.objects.filter(content_object_id=self.pk).values("tag_id")
            related = (
                live_public(ResourcePage.objects.all())
                .exclude(pk=self.pk)
                .filter(tagged_items__tag_id__in=my_tag_ids)
                .annotate(shared_tags=Count("tagged_items"))
                .order_by("-shared_tags", "-first_published_at", "-pk")
            )
            return self.with_card_data(related)[:limit]

        return kept_cards(f"related-resources|{self.pk}", ResourcePage, find)

    def video_object(self, request) -> dict | None:
        """schema.org VideoObject, so search engines can show the video with its details."""
        if not self.video_id:
            return None
        data = {
            "@context": "https://schema.org",
            "@type": "VideoObject",
            "name": self.title,
            "description": self.summary,
            "inLanguage": "zh-Hans",
            "contentUrl": public_url(self.video.url),
            "url": self.get_full_url(request),
            "isFamilyFriendly": True,
        }
        if self.first_published_at:
            data["uploadDate"] = self.first_published_at.isoformat()
        if self.duration:
            data["duration"] = iso_duration(self.duration)
        if self.image:
            poster = self.image.get_rendition(POSTER_RENDITION)
            data["thumbnailUrl"] = public_url(poster.url)
        if self.transcript:
            data["transcript"] = strip_tags(self.transcript)
        if self.licence:
            data["license"] = self.licence
        return data

    detail_select_related = ("category", "image", *RecordingFieldsMixin.recording_select_related)

    @classmethod
    def detail_queryset(cls):
        return (
            super()
            .detail_queryset()
            .prefetch_related(
                "audiences",
                "tags",
                Prefetch("documents", queryset=ResourceDocument.objects.select_related("document")),
                Prefetch(
                    "gallery_images",
                    queryset=ResourceGalleryImage.objects.select_related("image"),
                ),
            )
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["documents"] = [row for row in self.documents.all() if row.document_id]
        gallery = list(self.gallery_images.all())
        context["gallery"] = gallery
        context["page_tags"] = list(self.tags.all())
        with batched_card_prefetches():
            related = self.related_resources()
        context["related_resources"] = related
        # The related cards' data; their images' renditions in one query with the cover or
        # poster and the gallery.
        prefetch_card_data(
            related,
            extra_images=[
                self.image if self.image_id else None,
                *(row.image for row in gallery if row.image_id),
            ],
            extra_specs=[POSTER_RENDITION, "fill-640x427|format-webp"],
        )
        context["video_object"] = self.video_object(request)
        return context


class ResourceDocument(Orderable):
    page = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("文档"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(
        _("显示名称"), max_length=120, blank=True, help_text=_("留空则使用文档标题。")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("附件文档")

    @property
    def display_title(self) -> str:
        return self.title or self.document.title

    @property
    def type_label(self) -> str:
        return self.document.file_extension.upper()

    @property
    def size(self) -> int | None:
        """Recorded at upload; documents created in code may lack it, so ask the storage."""
        if self.document.file_size:
            return self.document.file_size
        try:
            return self.document.file.size
        except (OSError, NotImplementedError):
            return None


class ResourceGalleryImage(Orderable):
    page = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("图片"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("图集图片")


# --- The index -----------------------------------------------------------------------------


class ResourceFilters(IndexFilters):
    sorts = {
        "newest": (_("最新发布"), ["-first_published_at", "-pk"]),
        "title": (_("按标题"), ["title", "pk"]),
    }
    default_sort = "newest"

    def build_filters(self):
        return [
            ChoiceFilter("kind", "资源类型", lookup="kind", choices=ResourceKind.choices),
            VocabularyFilter("audience", "学习对象", Audience, lookup="audiences"),
            VocabularyFilter("category", "内容类别", Category, lookup="category"),
            TagFilter("tag", "标签", lookup="tags"),
        ]


def popular_tags(page_model, limit: int) -> list[Tag]:
    """The most used tags among a page type's live, public pages, with ``usage`` counts (one
    query, kept until a page of the type or a tag changes). ``page_model`` has a ``tags``
    manager through its own tagged-item model."""
    items = page_model._meta.get_field("tags").remote_field.through
    related = items._meta.get_field("tag").related_query_name()  # e.g. ..._taggedcourse_items

    def build():
        live_pages = live_public(page_model.objects.all()).values("pk")
        return list(
            Tag.objects.filter(**{f"{related}__content_object__in": live_pages})
            .annotate(usage=Count(related))
            .order_by("-usage", "name")[:limit]
        )

    return kept(f"popular-tags|{page_model._meta.label}|{limit}", build)


def popular_resource_tags(limit: int = 30) -> list[Tag]:
    return popular_tags(ResourcePage, limit)


def tag_cloud(tags: list[Tag]) -> list[dict]:
    """Tags with a size step 1–4 by usage, in name order (a cloud, not a ranking)."""
    if not tags:
        return []
    most = max(tag.usage for tag in tags)
    least = min(tag.usage for tag in tags)
    spread = max(most - least, 1)
    cloud = [{"tag": tag, "size": 1 + round(3 * (tag.usage - least) / spread)} for tag in tags]
    return sorted(cloud, key=lambda item: item["tag"].name)


class ResourceIndexPage(FilteredIndexPage):
    parent_page_types = ["home.HomePage"]
    subpage_types = ["learning_resources.ResourcePage"]
    max_count = 1

    per_page = 12

    class Meta:
        verbose_name = _("学习资源库")

    filters_class = ResourceFilters
    listing_name = "resources"

    def get_filters(self, request):
        filters = ResourceFilters(request.GET)
        # The same popular tags fill the filter's choices and the tag cloud (one query).
        filters.filter_named("tag").choices = popular_resource_tags()
        return filters

    def get_listing(self, request, filters):
        return ResourcePage.with_card_data(live_public(ResourcePage.objects.all()))

    def listing_extra_context(self, filters):
        return {"tag_cloud": tag_cloud(filters.filter_named("tag").choices)}
