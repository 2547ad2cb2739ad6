from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
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
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, Site
from wagtail.search import index

from core.page_cache import depend_on_children
from core.routing import route_in_one_query
from core.segmentation import SegmentedSearchMixin

from .blocks import BodyStreamBlock, LinkBlock
from .page_base import BasePage
from .queries import live_public, remember_top_level_pages
from .sections import HOOK_NAME, build_sections

# --- Shared vocabulary ------------------------------------------------------------------------


class Vocabulary(models.Model):
    """A short, editor-maintained list used to label and filter content (audiences, categories)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    slug = models.SlugField(
        _("网址标识"),
        max_length=50,
        unique=True,
        allow_unicode=False,
        help_text=_("英文字母、数字和连字符，用于筛选链接，例如 elderly。"),
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Audience(SegmentedSearchMixin, index.Indexed, Vocabulary):
    """Who a course, event or resource is for; seeded from the policy's audiences."""

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    pinyin_field = "name"

    class Meta(Vocabulary.Meta):
        verbose_name = _("学习对象")
        verbose_name_plural = _("学习对象")


class Category(SegmentedSearchMixin, index.Indexed, Vocabulary):
    """Content area; seeded with the policy's four: 思想道德, 文化艺术, 知识技能, 生活常识."""

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    pinyin_field = "name"

    class Meta(Vocabulary.Meta):
        verbose_name = _("内容类别")
        verbose_name_plural = _("内容类别")


class Person(SegmentedSearchMixin, index.Indexed, models.Model):
    """A speaker or teacher, shared by courses and lectures."""

    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职称/职务"), max_length=80, blank=True)
    affiliation = models.CharField(_("工作单位"), max_length=120, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("照片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = RichTextField(_("简介"), blank=True, features=["bold", "italic", "link", "ul", "ol"])

    panels = [
        FieldPanel("name"),
        FieldPanel("title"),
        FieldPanel("affiliation"),
        FieldPanel("photo"),
        FieldPanel("bio"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("affiliation"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    pinyin_field = "name"

    class Meta:
        ordering = ["name"]
        verbose_name = _("主讲人/教师")
        verbose_name_plural = _("主讲人/教师")

    def __str__(self):
        return f"{self.name}（{self.title}）" if self.title else self.name


# --- Site-wide settings -----------------------------------------------------------------------


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    organizer = models.CharField(_("主办单位"), max_length=120, blank=True)
    operator = models.CharField(_("承办单位"), max_length=120, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    icp_number = models.CharField(_("ICP备案号"), max_length=60, blank=True)
    police_record_number = models.CharField(_("公安备案号"), max_length=60, blank=True)
    footer_links = StreamField([("link", LinkBlock())], blank=True, verbose_name=_("页脚链接"))

    panels = [
        MultiFieldPanel([FieldPanel("organizer"), FieldPanel("operator")], heading=_("主办与承办")),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")],
            heading=_("联系方式"),
        ),
        MultiFieldPanel(
            [FieldPanel("icp_number"), FieldPanel("police_record_number")], heading=_("备案信息")
        ),
        FieldPanel("footer_links"),
    ]

    class Meta:
        verbose_name = _("网站信息")


HERO_RENDITION = "fill-1200x500|format-webp"  # home/home_page.html

# --- Pages ------------------------------------------------------------------------------------


class HomePage(BasePage):
    """The one home page: a hero, then the sections other apps register (see home.sections)."""

    # The sections below the hero, top to bottom, by name. Each comes from the app that owns
    # its content (the home_page_sections hook, in that app's sections.py or wagtail_hooks.py);
    # a section with nothing to show is left out.
    SECTIONS_HOOK = HOOK_NAME
    SECTIONS = [
        "learning-week",  # events: 全民终身学习活动周 banner, in and just before the week
        "notices",  # news: 通知公告
        "upcoming-events",  # events: 近期活动
        "featured-courses",  # learning_resources: 精选课程
        "resources",  # learning_resources: 新上线的学习资源
        "latest-lectures",  # events: 郑州讲坛
        "news",  # news: 新闻动态
        "school-finder",  # schools: 找找家门口的社区学校
        "take-part",  # showcase: 参与和了解
    ]

    intro = models.TextField(_("导语"), blank=True, max_length=300)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("头图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("补充内容"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        InlinePanel(
            "pinned_pages",
            heading=_("首页置顶"),
            label=_("置顶内容"),
            help_text=_("置顶的页面在其所属栏目中排在最前，其余位置自动显示最新发布的内容。"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "schools.CommunityUniversityPage",
        "learning_resources.ResourceIndexPage",
        "learning_resources.CourseIndexPage",
        "events.EventIndexPage",
        "events.LearningWeekIndexPage",
        "events.ForumIndexPage",
        "events.ReadingFestivalIndexPage",
        "news.NewsIndexPage",
        "showcase.ShowcaseIndexPage",
        "showcase.PeopleIndexPage",
        "showcase.VolunteerPage",
        "showcase.StatisticsPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("首页")

    def route(self, request, path_components):
        # The home page is the site root, so every URL is routed from here (unless
        # core.middleware.SiteRoutingMiddleware already routed the request).
        if not path_components:
            return super().route(request, path_components)
        return route_in_one_query(self, request, path_components)

    route.routes_in_one_query = True

    detail_select_related = ("hero_image",)

    @classmethod
    def detail_queryset(cls):
        # Most of the time nothing is pinned: knowing it from the page's own row saves a query.
        return (
            super()
            .detail_queryset()
            .annotate(
                has_pinned_pages=Exists(HomePagePinnedPage.objects.filter(home_page=OuterRef("pk")))
            )
        )

    def pinned_live_pages(self, request):
        """The editor's pinned pages that are live and public, in the editor's order.

        Plain ``Page`` rows: each section picks those of its types by ``specific_class`` and
        loads them with its own query (home.sections). They come in one query with the menu's
        pages, which are this page's children.
        """
        if getattr(self, "has_pinned_pages", True) is False:
            return []
        pins = HomePagePinnedPage.objects.filter(home_page=self)
        pages = live_public(
            Page.objects.filter(
                Q(path__startswith=self.path, depth=self.depth + 1)
                | Q(pk__in=pins.values("page_id"))
            ).annotate(
                pinned=Exists(pins.filter(page_id=OuterRef("pk"))),
                pin_order=Subquery(
                    pins.filter(page_id=OuterRef("pk"))
                    .order_by("sort_order", "pk")
                    .values("sort_order")[:1]
                ),
            ),
            listing=False,
        ).order_by("path")
        children, pinned = [], []
        for page in pages:
            if page.depth == self.depth + 1 and page.path.startswith(self.path):
                children.append(page)
            if page.pinned:
                pinned.append(page)
        site = Site.find_for_request(request)
        if site is not None and site.root_page_id == self.pk:
            remember_top_level_pages(request, children)  # the menu's pages: this page's children
        # Pins saved outside the editor may have no sort order: those last.
        return sorted(pinned, key=lambda page: (page.pin_order is None, page.pin_order or 0))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = build_sections(
            self,
            request,
            self.pinned_live_pages(request),
            extra_images=[self.hero_image] if self.hero_image_id else [],
            extra_specs=[HERO_RENDITION],
            names=self.SECTIONS,
        )
        return context


class HomePagePinnedPage(Orderable):
    home_page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="pinned_pages")
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("页面"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("置顶内容")


class StandardPage(BasePage):
    """A free-form page: 关于我们, 政策文件 and the like."""

    intro = models.TextField(_("摘要"), blank=True, max_length=300)
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("正文"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("普通页面")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        depend_on_children(self)
        context["child_pages"] = live_public(self.get_children(), listing=False)
        return context


# --- Dated occurrences ------------------------------------------------------------------------


class SignupMode(models.TextChoices):
    NONE = "", _("不开放")
    FIRST_COME = "first_come", _("先到先得")
    DRAW = "draw", _("摇号")


class Occurrence(Orderable):
    """One dated run of a page: an event's occurrence, a lecture's time, a class session.

    Kept in one table for every page type so the calendar, iCalendar feeds and sign-up can
    treat them alike; times are aware datetimes (stored in UTC, shown in Asia/Shanghai).
    """

    page = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="occurrences")
    start = models.DateTimeField(_("开始时间"), db_index=True)
    end = models.DateTimeField(_("结束时间"), db_index=True)
    cancelled = models.BooleanField(
        _("本场取消"),
        default=False,
        help_text=_("只取消这一场时勾选；整个活动取消请修改活动状态。"),
    )
    note = models.CharField(
        _("说明"), max_length=80, blank=True, help_text=_("例如：第3讲、改在二楼报告厅。")
    )
    # Sign-up settings. They are editorial content (they go through revisions and moderation
    # with the page); the sign-ups themselves and the draws live in the signups app.
    signup_mode = models.CharField(
        _("网上报名"),
        max_length=12,
        choices=SignupMode.choices,
        default=SignupMode.NONE,
        blank=True,
        help_text=_("先到先得：报满后进入候补；摇号：报名截止后随机抽取。"),
    )
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    signup_opens = models.DateTimeField(
        _("报名开始"), null=True, blank=True, help_text=_("留空表示发布后即可报名。")
    )
    signup_closes = models.DateTimeField(
        _("报名截止"), null=True, blank=True, help_text=_("留空表示到本场开始时截止。")
    )
    reserved_seats = models.PositiveIntegerField(
        _("老年人保留名额"),
        null=True,
        blank=True,
        help_text=_("仅摇号时有效：先从社区工作者在学习点登记的老年人中抽取这些名额。"),
    )

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("note"), FieldPanel("cancelled")]),
        FieldRowPanel(
            [FieldPanel("signup_mode"), FieldPanel("capacity"), FieldPanel("reserved_seats")]
        ),
        FieldRowPanel([FieldPanel("signup_opens"), FieldPanel("signup_closes")]),
    ]

    api_fields = [APIField("start"), APIField("end"), APIField("cancelled"), APIField("note")]

    class Meta(Orderable.Meta):
        ordering = ["start", "pk"]
        # A page's occurrences in time order (detail pages, cards) and its next or first
        # start (the course schedule and calendar subqueries) come straight from this index.
        indexes = [models.Index(fields=["page", "start"], name="home_occurrence_page_start")]
        verbose_name = _("场次")
        verbose_name_plural = _("场次")

    def __str__(self):
        return f"{self.start:%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("结束时间必须晚于开始时间。")})
        if not self.signup_mode:
            return
        errors = {}
        if not self.capacity:
            errors["capacity"] = _("开放网上报名时请填写名额（至少 1 人）。")
        elif (self.reserved_seats or 0) > self.capacity:
            errors["reserved_seats"] = _("保留名额不能多于总名额。")
        closes = self.signup_closes_at
        if self.signup_opens and closes and self.signup_opens >= closes:
            errors["signup_closes"] = _("报名截止时间必须晚于报名开始时间。")
        if self.signup_closes and self.end and self.signup_closes > self.end:
            errors["signup_closes"] = _("报名截止时间不能晚于本场结束时间。")
        if errors:
            raise ValidationError(errors)

    @property
    def signup_enabled(self) -> bool:
        return bool(self.signup_mode) and bool(self.capacity)

    @property
    def signup_closes_at(self):
        """When sign-up closes: the editor's time, else the start of the occurrence."""
        return self.signup_closes or self.start
