"""The four-tier community-education network of 郑政办文〔2013〕13号:
郑州社区大学 → 县(市、区)社区学院 → 乡镇(街道)社区教育中心 → 社区学校/学习点."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, Task, TaskState
from wagtail.search import index

from core.segmentation import SegmentedSearchMixin
from home.blocks import BodyStreamBlock
from home.filters import listing_response
from home.page_base import BasePage
from home.queries import live_public
from home.sections import build_sections

from .blocks import OpeningHoursBlock
from .directory import (
    TIER_LABELS,
    centres_with_schools,
    directory_context,
    district_of,
    near_me_context,
    schools_geojson,
)
from .geo import gcj02_to_wgs84, in_zhengzhou

SCHOOL_PAGE_SECTIONS_HOOK = "school_page_sections"
# The four tiers, for the choosers and parent_page_types of other apps' pages that sit at or
# name a school (a course's or lecture's venue, a showcase entry's school).
SCHOOL_PAGE_TYPES = [
    "schools.CommunityUniversityPage",
    "schools.CommunityCollegePage",
    "schools.CommunityCentrePage",
    "schools.CommunitySchoolPage",
]


class Facility(models.Model):
    """A facility a school offers residents (多媒体教室, 无障碍通道, …)."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    panels = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("设施")
        verbose_name_plural = _("设施")

    def __str__(self):
        return self.name


class SchoolPage(BasePage):
    """Fields and behaviour shared by all four tiers."""

    tier: int = 0

    intro = models.TextField(_("简介"), max_length=300, blank=True)
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("详细介绍"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    opening_hours = StreamField(
        [("hours", OpeningHoursBlock())], blank=True, verbose_name=_("开放时间")
    )
    public_transport = models.TextField(
        _("公交线路"), blank=True, help_text=_("例如：乘坐 B12 路到文化路站，步行 200 米。")
    )
    latitude = models.FloatField(
        _("纬度"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("高德地图坐标，例如 34.7466。"),
    )
    longitude = models.FloatField(
        _("经度"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("高德地图坐标，例如 113.6253。"),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    facilities = ParentalManyToManyField(
        Facility, verbose_name=_("设施"), blank=True, related_name="%(app_label)s_%(class)s_set"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("public_transport"),
            ],
            heading=_("位置"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_person"), FieldPanel("phone"), FieldPanel("email")],
            heading=_("联系方式"),
        ),
        FieldPanel("opening_hours"),
        FieldPanel("facilities", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("address"),
        index.SearchField("body"),
        index.FilterField("latitude"),
        index.FilterField("longitude"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]

    api_fields = [
        APIField("intro"),
        APIField("address"),
        APIField("phone"),
        APIField("latitude"),
        APIField("longitude"),
        APIField("cover_image"),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        has_lat, has_lng = self.latitude is not None, self.longitude is not None
        if has_lat != has_lng:
            raise ValidationError(
                {"longitude" if has_lat else "latitude": _("纬度和经度需要同时填写。")}
            )
        if has_lat and not in_zhengzhou(self.latitude, self.longitude):
            message = _(
                "坐标不在郑州市范围内（纬度约 34.2–35.1，经度约 112.6–114.3），请核对是否填反或有误。"
            )
            raise ValidationError({"latitude": message, "longitude": message})

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def amap_url(self) -> str | None:
        """An AMap marker URI: opens the AMap app on a phone, the AMap site elsewhere."""
        if not self.has_position:
            return None
        query = urlencode(
            {
                "position": f"{self.longitude:.6f},{self.latitude:.6f}",
                "name": self.title,
                "src": "zzlearning",
                "coordinate": "gaode",
                "callnative": "1",
            }
        )
        return f"https://uri.amap.com/marker?{query}"

    @property
    def tier_label(self) -> str:
        return TIER_LABELS[self.tier]

    @property
    def card_image(self):
        return self.cover_image

    @property
    def card_summary(self):
        return self.intro

    @property
    def card_meta(self):
        return self.address

    @property
    def card_label(self):
        return self.tier_label

    def structured_data(self) -> dict:
        data = {
            "@context": "https://schema.org",
            "@type": "EducationalOrganization",
            "name": self.title,
            "url": self.full_url,
        }
        if self.intro:
            data["description"] = self.intro
        if self.address:
            data["address"] = {
                "@type": "PostalAddress",
                "streetAddress": self.address,
                "addressLocality": "郑州市",
                "addressCountry": "CN",
            }
        if self.phone:
            data["telephone"] = self.phone
        if self.has_position:
            # schema.org readers take coordinates as WGS-84; ours are stored as GCJ-02.
            wgs_lat, wgs_lng = gcj02_to_wgs84(self.latitude, self.longitude)
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": round(wgs_lat, 7),
                "longitude": round(wgs_lng, 7),
            }
        return data

    detail_select_related = ("cover_image",)
    detail_prefetch_related = ("facilities",)
    # school_page.html shows the school_page_sections; the university's directory does not.
    shows_sections = True
    # Those sections, top to bottom, by name (see home.sections); schools sit below the apps
    # that provide them.
    SECTIONS_HOOK = SCHOOL_PAGE_SECTIONS_HOOK
    SECTIONS = [
        "events-here",  # events: 近期在这里举办的活动
        "calendar-subscription",  # events: 订阅这里的活动 (tiers 2–4)
        "print-schedule",  # events: 打印本周课程表（大字版） (tiers 2–4)
        "courses-here",  # learning_resources: 在这里开设的课程
        "showcase-here",  # showcase: 这里的学习型组织和示范项目
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["district"] = district_of(self) if self.tier >= 2 else None
        if not self.shows_sections:
            return context
        # The cover's rendition comes in the sections' one renditions query.
        context["sections"] = build_sections(
            self,
            request,
            hook_name=SCHOOL_PAGE_SECTIONS_HOOK,
            extra_images=[self.cover_image] if self.cover_image_id else [],
            extra_specs=["fill-960x540|format-webp"],
            names=self.SECTIONS,
        )
        return context


class CommunityUniversityPage(RoutablePageMixin, SchoolPage):
    """Tier 1, 郑州社区大学: the network's core and the directory of every school (/schools/)."""

    tier = 1
    template = "schools/directory_page.html"
    # The directory and near-me pages show neither sections nor facilities.
    shows_sections = False
    detail_prefetch_related = ()

    parent_page_types = ["home.HomePage"]
    subpage_types = [
        "schools.CommunityCollegePage",
        "events.EventPage",
        "learning_resources.CoursePage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("社区大学")

    @path("")
    def directory(self, request):
        context = self.get_context(request)
        context.update(directory_context(self, request))
        return listing_response(request, self.template, context)

    @path("near/")
    def near_me(self, request):
        context = self.get_context(request)
        extra, status = near_me_context(self, request)
        context.update(extra)
        return TemplateResponse(request, "schools/near_me_page.html", context, status=status)

    @path("geojson/")
    def geojson(self, request):
        response = JsonResponse(schools_geojson(request), json_dumps_params={"ensure_ascii": False})
        response["Content-Type"] = "application/geo+json; charset=utf-8"
        return response


class CommunityCollegePage(SchoolPage):
    """Tier 2, 县(市、区)社区学院: one per district; its subtree is the district."""

    tier = 2
    template = "schools/school_page.html"

    district_name = models.CharField(
        _("区县名称"), max_length=30, unique=True, help_text=_("例如：金水区、巩义市。")
    )

    content_panels = [
        *SchoolPage.content_panels[:1],
        FieldPanel("district_name"),
        *SchoolPage.content_panels[1:],
    ]

    parent_page_types = ["schools.CommunityUniversityPage"]
    subpage_types = [
        "schools.CommunityCentrePage",
        "events.EventPage",
        "learning_resources.CoursePage",
    ]

    api_fields = [*SchoolPage.api_fields, APIField("district_name")]

    class Meta:
        verbose_name = _("社区学院（区县）")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["centres"] = centres_with_schools(self)
        return context


class CommunityCentrePage(SchoolPage):
    """Tier 3, 乡镇(街道)社区教育中心."""

    tier = 3
    template = "schools/school_page.html"

    parent_page_types = ["schools.CommunityCollegePage"]
    subpage_types = [
        "schools.CommunitySchoolPage",
        "events.EventPage",
        "learning_resources.CoursePage",
    ]

    class Meta:
        verbose_name = _("社区教育中心（乡镇、街道）")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["schools"] = (
            live_public(CommunitySchoolPage.objects.child_of(self))
            .order_by("path")
            .only("title", "url_path", "path", "depth", "kind", "address", "phone")
        )
        return context


class CommunitySchoolPage(SchoolPage):
    """Tier 4, 社区学校 or 学习点 in a community or village."""

    KIND_SCHOOL = "school"
    KIND_POINT = "point"
    KIND_CHOICES = [(KIND_SCHOOL, _("社区学校")), (KIND_POINT, _("学习点"))]

    tier = 4
    template = "schools/school_page.html"

    kind = models.CharField(_("类型"), max_length=10, choices=KIND_CHOICES, default=KIND_SCHOOL)

    content_panels = [
        *SchoolPage.content_panels[:1],
        FieldPanel("kind"),
        *SchoolPage.content_panels[1:],
    ]

    parent_page_types = ["schools.CommunityCentrePage"]
    subpage_types = ["events.EventPage", "learning_resources.CoursePage"]
    api_fields = [*SchoolPage.api_fields, APIField("kind")]

    class Meta:
        verbose_name = _("社区学校/学习点")
        indexes = [models.Index(fields=["latitude", "longitude"], name="school_lat_lng_idx")]

    @property
    def tier_label(self) -> str:
        return self.get_kind_display()


TIER_MODELS = {
    1: CommunityUniversityPage,
    2: CommunityCollegePage,
    3: CommunityCentrePage,
    4: CommunitySchoolPage,
}


# --- Community roles and moderation -----------------------------------------------------------


class SchoolRole(models.Model):
    """A Wagtail group that holds one role (worker or moderator) for one school subtree.

    Permissions follow the tree: the group's page permissions sit on ``page``, so its members
    act on that page and everything below it. See schools.roles for how roles are set up.
    """

    WORKER = "worker"
    MODERATOR = "moderator"
    ROLE_CHOICES = [(WORKER, _("社区工作者")), (MODERATOR, _("区县审核员"))]

    group = models.OneToOneField(
        "auth.Group", verbose_name=_("用户组"), on_delete=models.CASCADE, related_name="school_role"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("负责范围"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("角色"), max_length=12, choices=ROLE_CHOICES)

    class Meta:
        verbose_name = _("社区角色")
        verbose_name_plural = _("社区角色")
        constraints = [
            models.UniqueConstraint(fields=["page", "role"], name="one_group_per_role_and_scope")
        ]

    def __str__(self):
        return self.group.name


def pages_user_can_publish(user):
    """Pages under any page where one of the user's groups may publish."""
    roots = Page.objects.filter(
        group_permissions__group__in=user.groups.all(),
        group_permissions__permission__codename="publish_page",
    ).values_list("path", flat=True)
    condition = Q(pk__in=[])
    for root in set(roots):
        condition |= Q(path__startswith=root)
    return Page.objects.filter(condition)


class DistrictReviewTask(Task):
    """Review by whoever may publish the page: its district's moderators, or the city editors.

    Unlike Wagtail's group approval task, the reviewers depend on where the page sits, so one
    workflow on the directory serves every district and a moderator sees only their own.
    """

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("区县审核")
        verbose_name_plural = _("区县审核")

    @staticmethod
    def can_review(obj, user) -> bool:
        if not user.is_authenticated or not user.is_active:
            return False
        if user.is_superuser:
            return True
        return isinstance(obj, Page) and obj.permissions_for_user(user).can_publish()

    def user_can_access_editor(self, obj, user):
        return self.can_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self.can_review(obj, user)

    def user_can_lock(self, obj, user):
        return self.can_review(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not self.can_review(obj, user):
            return []
        return [
            ("reject", _("退回修改"), True),
            ("approve", _("批准"), False),
            ("approve", _("附留言批准"), True),
        ]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        in_progress = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return in_progress
        page_ids = (
            pages_user_can_publish(user)
            .annotate(id_text=Cast("pk", output_field=models.CharField()))
            .values("id_text")
        )
        return in_progress.filter(workflow_state__object_id__in=page_ids)

    @classmethod
    def get_description(cls):
        return _("由页面所在区县的审核员（或全站编辑）审核，批准后发布")
