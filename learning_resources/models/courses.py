"""Courses: classes a school offers and online courses, their status, and the catalogue."""

from __future__ import annotations

import contextvars

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.queryset import FakeQuerySet
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtailmedia.edit_handlers import MediaChooserPanel

from core.page_cache import depend_on_listing
from core.public_urls import public_url
from core.segmentation import SegmentedSearchMixin
from home.api import name_of, names_of
from home.attendance import Attendance, course_attendance, enrolment_occurrence
from home.blocks import BodyStreamBlock
from home.cards import card_prefetches, prefetch_renditions
from home.filters import (
    ChoiceFilter,
    DistrictFilter,
    IndexFilters,
    TagFilter,
    VocabularyFilter,
)
from home.models import Audience, Category, Occurrence
from home.page_base import BasePage, FilteredIndexPage
from home.queries import live_public
from schools.directory import DistrictLookup, district_of
from schools.models import SCHOOL_PAGE_TYPES, CommunityCollegePage, SchoolPage

from .resources import ResourcePage, format_duration, popular_tags

# --- Courses ---------------------------------------------------------------------------------
#
# A course is a class a school offers (offline sessions, home.Occurrence rows) or an online
# course (ordered lessons that point at resources or media), or both. Its status is derived
# from its dates, in SQL for the catalogue (see with_schedule) and in Python for one page
# (see derive_course_status); the two follow the same rules.


class CourseMode(models.TextChoices):
    ONLINE = "online", _("线上")
    OFFLINE = "offline", _("线下")
    BLENDED = "blended", _("混合")


# schema.org courseMode values, so search engines read the mode.
SCHEMA_COURSE_MODE = {
    CourseMode.ONLINE: "online",
    CourseMode.OFFLINE: "onsite",
    CourseMode.BLENDED: "blended",
}


class CourseStatus(models.TextChoices):
    # Not started yet. Whether one must sign up is said apart (需报名 / 无需报名, home.attendance).
    OPEN = "open", _("即将开课")
    RUNNING = "running", _("进行中")
    FINISHED = "finished", _("已结束")


def derive_course_status(first_start, last_end, enrolment_deadline, now) -> CourseStatus:
    """The status rules, for one course; ``with_schedule`` writes the same rules in SQL.

    Cancelled sessions do not count. A course without dated sessions (an online course one
    follows at one's own pace) stays open until its enrolment deadline, if it has one.
    """
    if first_start is None:
        if enrolment_deadline and enrolment_deadline < timezone.localdate(now):
            return CourseStatus.FINISHED
        return CourseStatus.OPEN
    if now < first_start:
        return CourseStatus.OPEN
    if last_end < now:
        return CourseStatus.FINISHED
    return CourseStatus.RUNNING


def _session_bound(aggregate: str, field: str, **conditions):
    """A subquery: Min/Max of a course's non-cancelled sessions' ``field`` (NULL when none)."""
    sessions = (
        Occurrence.objects.filter(page_id=OuterRef("pk"), cancelled=False, **conditions)
        .order_by()
        .values("page_id")
    )
    function = Min if aggregate == "min" else Max
    return Subquery(sessions.annotate(bound=function(field)).values("bound")[:1])


# The tier-2 pages' depth: the root (1), the home page (2), the university (3), a college (4).
DISTRICT_DEPTH = 4


def _district_name_of(path_reference: str):
    """A subquery: the district (tier-2 page) whose path is a prefix of the outer row's path.

    Districts always sit at the same depth (root, home page, university, college), so the
    prefix has a fixed length: the lookup is an equality on the indexed path, not a comparison
    against every page's own length.
    """
    prefix_length = DISTRICT_DEPTH * Page.steplen
    depend_on_listing(CommunityCollegePage)  # the label changes with the district page
    return Subquery(
        CommunityCollegePage.objects.live()
        .filter(depth=DISTRICT_DEPTH, path=Substr(OuterRef(path_reference), 1, prefix_length))
        .values("district_name")[:1]
    )


def schedule_fact_expressions() -> dict:
    """What ``CoursePage``'s stored schedule facts hold, as expressions over a course's own
    rows (``OuterRef("pk")``): its first and last non-cancelled session, its number of lessons,
    whether a session takes sign-ups online. Written by ``refresh_schedule_facts``."""
    lessons = (
        CourseLesson.objects.filter(page_id=OuterRef("pk"))
        .order_by()
        .values("page_id")
        .annotate(total=Count("pk"))
        .values("total")[:1]
    )
    return {
        "schedule_first_start": _session_bound("min", "start"),
        "schedule_last_end": _session_bound("max", "end"),
        "schedule_lesson_total": Coalesce(Subquery(lessons), 0),
        "schedule_online_signup": Exists(
            Occurrence.objects.filter(
                page_id=OuterRef("pk"), cancelled=False, capacity__gt=0
            ).exclude(signup_mode="")
        ),
    }


# Courses whose save() is writing their sessions and lessons: refreshed once, after it, rather
# than once per session (the objects, as a new course has its id only once saved).
_courses_being_saved = contextvars.ContextVar("courses_being_saved", default=())


def _may_be_a_course_row(instance) -> bool:
    """Whether a session or lesson can belong to a course, without a query when its page is
    loaded (an event's sessions, saved with the event, are not)."""
    field = type(instance)._meta.get_field("page")
    if not field.is_cached(instance):
        return True
    page = field.get_cached_value(instance)
    if page is None:
        return False
    return isinstance(page, CoursePage) or (
        page.content_type_id == ContentType.objects.get_for_model(CoursePage).pk
    )


def _on_session_or_lesson_written(sender, instance, **kwargs):
    if any(course.pk == instance.page_id for course in _courses_being_saved.get()):
        return
    if _may_be_a_course_row(instance):
        refresh_schedule_facts([instance.page_id])


def connect_schedule_facts() -> None:
    """A session (any page's: it is a course's when the UPDATE finds one) or a lesson written
    or deleted on its own, outside its course's save, refreshes the course's stored facts."""
    for model in (Occurrence, CourseLesson):
        for signal in (post_save, post_delete):
            signal.connect(
                _on_session_or_lesson_written,
                sender=model,
                dispatch_uid=f"course_schedule_{model.__name__}_{signal is post_save}",
            )


def refresh_schedule_facts(course_ids) -> None:
    """Store the schedule facts of these courses again, from their sessions and lessons (one
    UPDATE). Called after a course is saved (its sessions and lessons are saved with it) and
    when a session or lesson is written on its own (``connect_schedule_facts``)."""
    ids = [pk for pk in course_ids if pk is not None]
    if ids:
        CoursePage.objects.filter(pk__in=ids).update(**schedule_fact_expressions())


def with_schedule(queryset, now=None):
    """Annotate courses with their dates, status, lesson count and district for cards.

    The dates, the lesson count and online sign-up are read from the facts stored on the row
    (``refresh_schedule_facts``); the next session, which moves with time, and the district (a
    subquery on the indexed path) are worked out here. ``schedule_status`` can be filtered and
    sorted; it follows ``derive_course_status``'s rules.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    return queryset.annotate(
        first_start=F("schedule_first_start"),
        last_end=F("schedule_last_end"),
        next_start=_session_bound("min", "start", end__gte=now),
        has_online_signup=F("schedule_online_signup"),
        lesson_total=F("schedule_lesson_total"),
        district_label=Coalesce(
            _district_name_of("path"), _district_name_of("venue__path"), Value("")
        ),
    ).annotate(
        schedule_status=Case(
            When(
                first_start__isnull=True,
                enrolment_deadline__lt=today,
                then=Value(CourseStatus.FINISHED.value),
            ),
            When(first_start__isnull=True, then=Value(CourseStatus.OPEN.value)),
            When(first_start__gt=now, then=Value(CourseStatus.OPEN.value)),
            When(last_end__lt=now, then=Value(CourseStatus.FINISHED.value)),
            default=Value(CourseStatus.RUNNING.value),
            output_field=models.CharField(),
        ),
        # Open and running courses before finished ones, whatever else the order is.
        finished_last=Case(
            When(last_end__lt=now, then=Value(1)),
            When(first_start__isnull=True, enrolment_deadline__lt=today, then=Value(1)),
            default=Value(0),
            output_field=models.IntegerField(),
        ),
    )


class TaggedCourse(TaggedItemBase):
    """Tags of a course, from taggit's one shared Tag vocabulary (so /tags/<tag>/ lists it)."""

    content_object = ParentalKey(
        "learning_resources.CoursePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CoursePageForm(WagtailAdminPageForm):
    """One seat figure: 招收人数 may not disagree with the online sign-up's 名额."""

    def clean(self):
        cleaned_data = super().clean()
        seats = cleaned_data.get("seats")
        formset = self.formsets.get("occurrences")
        if not seats or formset is None or not formset.is_valid():
            return cleaned_data
        sessions = sorted(
            (
                form.cleaned_data
                for form in formset.forms
                if form.cleaned_data
                and not form.cleaned_data.get("DELETE")
                and form.cleaned_data.get("start")
            ),
            key=lambda data: data["start"],
        )
        for data in sessions:
            if not data.get("cancelled") and data.get("signup_mode") and data.get("capacity"):
                if data["capacity"] != seats:
                    self.add_error(
                        "seats",
                        _(
                            "已开放网上报名：招收人数须与报名名额（%(capacity)s 人）一致，"
                            "或留空（以报名名额为准）。"
                        )
                        % {"capacity": data["capacity"]},
                    )
                break
        return cleaned_data


class CoursePage(BasePage, RoutablePageMixin, Page):
    base_form_class = CoursePageForm
    summary = models.TextField(
        _("摘要"), max_length=300, help_text=_("课程目录和分享时显示，300 字以内。")
    )
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("课程介绍"))
    mode = models.CharField(
        _("上课方式"), max_length=10, choices=CourseMode.choices, default=CourseMode.OFFLINE
    )
    venue = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("上课地点（学校）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("在社区学校目录中选择；留空则为课程所在的学校。"),
    )
    seats = models.PositiveIntegerField(
        _("招收人数"),
        null=True,
        blank=True,
        help_text=_("留空表示不限人数。开放网上报名时，页面显示报名名额，两者须一致。"),
    )
    fee = models.CharField(_("费用"), max_length=60, default="免费")
    enrolment_text = models.TextField(
        _("报名方式"), blank=True, help_text=_("例如：携带身份证到社区学校一楼报名。")
    )
    enrolment_url = models.URLField(_("报名链接"), blank=True)
    enrolment_deadline = models.DateField(
        _("报名截止日期"),
        null=True,
        blank=True,
        help_text=_(
            "只对没有排课时间的线上课程起作用：过了这一天，课程显示为“已结束”。"
            "有上课时间的课程按上课时间自动显示即将开课、进行中或已结束。"
        ),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audiences = ParentalManyToManyField(
        Audience, verbose_name=_("学习对象"), blank=True, related_name="courses"
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("内容类别"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(through=TaggedCourse, blank=True, verbose_name=_("标签"))
    # What every course card and the catalogue's status filter read, stored on the row so a
    # listing selects them instead of four subqueries per course (refresh_schedule_facts keeps
    # them; not edited, not shown in the admin).
    schedule_first_start = models.DateTimeField(null=True, editable=False)
    schedule_last_end = models.DateTimeField(null=True, editable=False)
    schedule_lesson_total = models.PositiveIntegerField(default=0, editable=False)
    schedule_online_signup = models.BooleanField(default=False, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("mode"),
        FieldPanel("cover_image"),
        InlinePanel("teachers", heading=_("授课教师"), label=_("教师")),
        InlinePanel(
            "occurrences",
            heading=_("上课时间"),
            label=_("课次"),
            help_text=_("线下和混合课程填写每次课的时间；只取消某一次课时勾选“本场取消”。"),
        ),
        InlinePanel(
            "lessons",
            heading=_("线上课时"),
            label=_("课时"),
            help_text=_("线上和混合课程的每一课：选择一个学习资源，或直接选择一个音视频。"),
        ),
        MultiFieldPanel(
            [
                PageChooserPanel("venue", page_type=SCHOOL_PAGE_TYPES),
                FieldRowPanel([FieldPanel("seats"), FieldPanel("fee")]),
                FieldPanel("enrolment_text"),
                FieldPanel("enrolment_url"),
                FieldPanel("enrolment_deadline"),
            ],
            heading=_("地点与报名"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading=_("分类与标签"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("mode"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]

    api_fields = [
        APIField("summary"),
        APIField("mode"),
        APIField("occurrences"),
        APIField("venue"),
        APIField("seats"),
        APIField("fee"),
        APIField("enrolment_text"),
        APIField("enrolment_url"),
        APIField("enrolment_deadline"),
        APIField("cover_image"),
        APIField("teacher_names"),
        name_of("category"),
        names_of("audiences", "audience_names"),
        APIField("tags"),
        APIField("body"),
    ]

    parent_page_types = ["learning_resources.CourseIndexPage", *SCHOOL_PAGE_TYPES]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("课程")

    def save(self, *args, **kwargs):
        token = _courses_being_saved.set((*_courses_being_saved.get(), self))
        try:
            result = super().save(*args, **kwargs)  # the sessions and lessons are saved with it
        finally:
            _courses_being_saved.reset(token)
        # A save of named fields (a draft's revision pointer) writes no session or lesson.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"occurrences", "lessons"} & set(update_fields):
            refresh_schedule_facts([self.pk])
        return result

    def clean(self):
        super().clean()
        if self.venue_id and not issubclass(self.venue.specific_class or Page, SchoolPage):
            raise ValidationError({"venue": _("上课地点请选择社区学校目录中的学校。")})

    # --- Dates and status -----------------------------------------------------------------

    @cached_property
    def sessions(self) -> list:
        """Every session, cancelled ones included (the schedule shows them crossed out)."""
        return sorted(self.occurrences.all(), key=lambda session: (session.start, session.pk or 0))

    @cached_property
    def held_sessions(self) -> list:
        return [session for session in self.sessions if not session.cancelled]

    @property
    def teacher_names(self) -> list[str]:
        return [row.person.name for row in self.teachers.all()]

    @property
    def status(self) -> CourseStatus:
        """From the catalogue's SQL annotation when present, else from the sessions."""
        annotated = getattr(self, "schedule_status", None)
        if annotated:
            return CourseStatus(annotated)
        held = self.held_sessions
        return derive_course_status(
            held[0].start if held else None,
            max(session.end for session in held) if held else None,
            self.enrolment_deadline,
            timezone.now(),
        )

    @property
    def status_label(self) -> str:
        """即将开课 / 进行中 / 已结束; a self-paced course (no dated sessions) is 随时可学."""
        status = self.status
        if status == CourseStatus.OPEN and not self.has_sessions:
            return "随时可学"
        return str(status.label)

    @property
    def has_sessions(self) -> bool:
        if "first_start" in self.__dict__:
            return self.__dict__["first_start"] is not None
        return bool(self.held_sessions)

    @property
    def takes_signup(self) -> bool:
        """Online sign-up on a session, an organiser's sign-up link, or words saying where."""
        online = getattr(self, "has_online_signup", None)
        if online is None:
            online = self.enrolment_session is not None
        text = self.enrolment_text
        return bool(online or self.enrolment_url or (text and "无需报名" not in text))

    @cached_property
    def enrolment_session(self):
        """The session whose sign-up stands for the whole course (see home.attendance)."""
        return enrolment_occurrence(self.held_sessions)

    @property
    def seat_figure(self):
        """The one number of seats shown: the online sign-up's capacity, else 招收人数."""
        session = self.enrolment_session
        return session.capacity if session is not None else self.seats

    @cached_property
    def attendance(self) -> Attendance:
        return course_attendance(self)

    @property
    def next_session(self):
        if "next_start" in self.__dict__:
            return self.__dict__["next_start"]
        now = timezone.now()
        upcoming = [session.start for session in self.held_sessions if session.end >= now]
        return upcoming[0] if upcoming else None

    # --- Place ----------------------------------------------------------------------------

    @cached_property
    def venue_page(self):
        """The chosen school, else the school this course is posted under (or None)."""
        if self.venue_id:
            return self.venue.specific
        parent = self.get_parent()
        if parent is not None and issubclass(parent.specific_class or Page, SchoolPage):
            return parent.specific
        return None

    def district(self):
        """The district this course sits under, else its venue's district."""
        venue = self.venue_page
        return district_of(self) or (district_of(venue) if venue is not None else None)

    # --- Lessons --------------------------------------------------------------------------

    @cached_property
    def lesson_list(self) -> list:
        """Lessons in order, with their resource (and its media) loaded in a fixed number of queries.

        A resource that is unpublished or private is dropped from its lesson, so a resident is
        never sent to a page they cannot open.
        """
        if isinstance(self.lessons.all(), FakeQuerySet):
            lessons = self._lessons_in_memory()
            for number, lesson in enumerate(lessons, start=1):
                lesson.number = number
            return lessons
        visible = live_public(ResourcePage.objects.filter(pk=OuterRef("resource_id")))
        lessons = list(
            self.lessons.select_related(
                "media",
                "resource",
                "resource__video",
                "resource__audio",
                "resource__caption_file",
                "resource__chapters_file",
                "resource__image",
            )
            .defer("resource__body", "resource__transcript")
            .annotate(resource_is_visible=Exists(visible))
            .order_by("sort_order", "pk")
        )
        for number, lesson in enumerate(lessons, start=1):
            lesson.number = number
            lesson.visible_resource = lesson.resource if lesson.resource_is_visible else None
        return lessons

    def _lessons_in_memory(self) -> list:
        """The lessons of a preview or a revision: rows held in memory, not yet in the database.

        Modelcluster's in-memory relation answers no ``annotate()``, so resource visibility is
        one query over the lessons' resources instead.
        """
        lessons = sorted(
            self.lessons.all(), key=lambda lesson: (lesson.sort_order or 0, lesson.pk or 0)
        )
        resource_ids = {lesson.resource_id for lesson in lessons if lesson.resource_id}
        visible = (
            {
                resource.pk: resource
                for resource in live_public(
                    ResourcePage.objects.filter(pk__in=resource_ids)
                ).select_related("video", "audio", "caption_file", "chapters_file", "image")
            }
            if resource_ids
            else {}
        )
        for lesson in lessons:
            lesson.visible_resource = visible.get(lesson.resource_id)
        return lessons

    # --- Cards ----------------------------------------------------------------------------

    @property
    def card_image(self):
        return self.cover_image

    @property
    def card_label(self) -> str:
        return self.status_label

    @property
    def card_summary(self) -> str:
        return self.summary

    @property
    def card_meta(self) -> str:
        parts = [self.get_mode_display()]
        district = getattr(self, "district_label", "")
        if district:
            parts.append(district)
        next_start = self.next_session
        status = self.status
        if next_start is not None and status == CourseStatus.OPEN:
            parts.append(f"{timezone.localtime(next_start):%-m月%-d日}开课")
        elif next_start is not None:
            parts.append(f"下次上课 {timezone.localtime(next_start):%-m月%-d日 %H:%M}")
        lesson_total = getattr(self, "lesson_total", None)
        if lesson_total:
            # Beside dated classes, "共 4 课" read as the number of classes the page lists.
            parts.append(
                f"线上 {lesson_total} 课" if self.has_sessions else f"共 {lesson_total} 课"
            )
        if self.fee:
            parts.append(self.fee)
        if status != CourseStatus.FINISHED and self.takes_signup:
            parts.append("需报名")
        return " · ".join(parts)

    @classmethod
    def with_card_data(cls, queryset, now=None):
        """What a card needs (status, district, image renditions) in a fixed number of queries."""
        return with_schedule(
            queryset.select_related("category", "cover_image").prefetch_related(
                *card_prefetches("cover_image")
            ),
            now=now,
        ).defer_streamfields()

    # --- Structured data ------------------------------------------------------------------

    def structured_data(self, request) -> dict:
        """schema.org Course; each session is a CourseInstance (an online course has one)."""
        venue = self.venue_page
        teachers = [
            {"@type": "Person", "name": row.person.name, "jobTitle": row.person.title}
            for row in self.teachers.all()
        ]
        location = None
        if venue is not None and self.mode != CourseMode.ONLINE:
            location = {
                "@type": "Place",
                "name": venue.title,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": getattr(venue, "address", ""),
                    "addressLocality": "郑州市",
                    "addressCountry": "CN",
                },
            }
        instances = []
        for session in self.sessions:
            instance = {
                "@type": "CourseInstance",
                "courseMode": SCHEMA_COURSE_MODE[CourseMode(self.mode)],
                "startDate": timezone.localtime(session.start).isoformat(),
                "endDate": timezone.localtime(session.end).isoformat(),
                "eventStatus": "https://schema.org/EventCancelled"
                if session.cancelled
                else "https://schema.org/EventScheduled",
            }
            if location:
                instance["location"] = location
            if teachers:
                instance["instructor"] = teachers
            instances.append(instance)
        if not instances:
            instance = {
                "@type": "CourseInstance",
                "courseMode": SCHEMA_COURSE_MODE[CourseMode(self.mode)],
            }
            if teachers:
                instance["instructor"] = teachers
            instances.append(instance)
        data = {
            "@context": "https://schema.org",
            "@type": "Course",
            "name": self.title,
            "description": self.summary,
            "url": self.get_full_url(request),
            "inLanguage": "zh-Hans",
            "isAccessibleForFree": self.fee.strip() == "免费",
            "hasCourseInstance": instances,
        }
        if venue is not None:
            data["provider"] = {
                "@type": "EducationalOrganization",
                "name": venue.title,
                "url": venue.get_full_url(request),
            }
        if self.cover_image_id:
            data["image"] = public_url(self.cover_image.get_rendition("fill-1200x675").url)
        return data

    # --- Page and lesson player -----------------------------------------------------------

    detail_select_related = ("category", "cover_image", "venue")

    @classmethod
    def detail_queryset(cls):
        return (
            super()
            .detail_queryset()
            .prefetch_related(
                "occurrences",
                "audiences",
                "tags",
                Prefetch(
                    "teachers", queryset=CourseTeacher.objects.select_related("person__photo")
                ),
            )
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["district"] = self.district()
        teachers = [row.person for row in self.teachers.all()]
        context["teachers"] = teachers
        context["lessons"] = self.lesson_list
        context["page_tags"] = list(self.tags.all())
        # The cover (page, structured data) and the teachers' photos, in one query.
        prefetch_renditions(
            [self.cover_image if self.cover_image_id else None]
            + [person.photo for person in teachers if person.photo_id],
            "fill-960x540|format-webp",
            "fill-1200x675",
            "fill-160x160|format-webp",
        )
        context["structured_data"] = self.structured_data(request)
        return context

    @path("lessons/<int:number>/", name="lesson")
    def lesson(self, request, number: int):
        lessons = self.lesson_list
        if not 1 <= number <= len(lessons):
            raise Http404("没有这一课")
        context = self.get_context(request)
        context.update(
            lesson=lessons[number - 1],
            previous_lesson=lessons[number - 2] if number > 1 else None,
            next_lesson=lessons[number] if number < len(lessons) else None,
        )
        return TemplateResponse(request, "learning_resources/course_lesson.html", context)


class CourseTeacher(Orderable):
    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="teachers")
    person = models.ForeignKey(
        "home.Person", verbose_name=_("教师"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        verbose_name = _("授课教师")


class CourseLesson(Orderable):
    """One lesson of an online course: a learning resource, or a video or audio on its own."""

    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("课时标题"), max_length=120)
    summary = models.TextField(_("本课简介"), max_length=300, blank=True)
    resource = models.ForeignKey(
        ResourcePage,
        verbose_name=_("学习资源"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    media = models.ForeignKey(
        "wagtailmedia.Media",
        verbose_name=_("音视频"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("时长（分钟）"), null=True, blank=True, help_text=_("留空则使用资源或音视频的时长。")
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("summary"),
        PageChooserPanel("resource", page_type="learning_resources.ResourcePage"),
        MediaChooserPanel("media"),
        FieldPanel("duration_minutes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("课时")
        verbose_name_plural = _("课时")

    def clean(self):
        super().clean()
        if self.resource_id and self.media_id:
            raise ValidationError(_("每一课请只选择学习资源或音视频中的一个。"))
        if not self.resource_id and not self.media_id:
            raise ValidationError(_("请为这一课选择一个学习资源或音视频。"))

    @property
    def video(self):
        resource = getattr(self, "visible_resource", None)
        if resource is not None:
            return resource.video
        return self.media if self.media_id and self.media.type == "video" else None

    @property
    def audio(self):
        resource = getattr(self, "visible_resource", None)
        if resource is not None:
            return resource.audio
        return self.media if self.media_id and self.media.type == "audio" else None

    @property
    def caption_file(self):
        resource = getattr(self, "visible_resource", None)
        return resource.caption_file if resource is not None else None

    @property
    def chapters_file(self):
        resource = getattr(self, "visible_resource", None)
        return resource.chapters_file if resource is not None else None

    @property
    def poster_image(self):
        resource = getattr(self, "visible_resource", None)
        return resource.image if resource is not None else None

    @property
    def duration_display(self) -> str:
        if self.duration_minutes:
            return f"{self.duration_minutes} 分钟"
        resource = getattr(self, "visible_resource", None)
        if resource is not None:
            return resource.duration_display
        if self.media_id and self.media.duration:
            return format_duration(round(self.media.duration))
        return ""


# --- The catalogue ---------------------------------------------------------------------------
#
# Every live, public course on the site, filtered in SQL. Courses live where their school is
# (under any tier) or under the catalogue page; the district of a course is read from the tree:
# the district it sits under, else its venue's district.


def in_district_or_held_there(queryset, district):
    """Courses under the district, or held at a school in it."""
    return queryset.filter(
        Q(path__startswith=district.path) | Q(venue__path__startswith=district.path)
    )


class CourseFilters(IndexFilters):
    sorts = {
        # Open and running courses first, the next session soonest; finished ones last.
        "soonest": (
            _("最近开课"),
            ["finished_last", F("next_start").asc(nulls_last=True), "-first_published_at", "-pk"],
        ),
        "newest": (_("最新发布"), ["-first_published_at", "-pk"]),
    }
    default_sort = "soonest"

    def __init__(self, data, district_lookup: DistrictLookup):
        self.district_lookup = district_lookup
        super().__init__(data)

    def build_filters(self):
        return [
            VocabularyFilter("audience", "学习对象", Audience, lookup="audiences"),
            VocabularyFilter("category", "内容类别", Category, lookup="category"),
            DistrictFilter(
                "district",
                "区县",
                self.district_lookup.districts,
                lookup=in_district_or_held_there,
            ),
            ChoiceFilter("mode", "上课方式", lookup="mode", choices=CourseMode.choices),
            ChoiceFilter(
                "status", "课程状态", lookup="schedule_status", choices=CourseStatus.choices
            ),
            TagFilter("tag", "标签", lookup="tags"),
        ]


def popular_course_tags(limit: int = 20) -> list[Tag]:
    return popular_tags(CoursePage, limit)


def listed_courses(now=None):
    """Every live, public course wherever it is, ready for cards."""
    return CoursePage.with_card_data(live_public(CoursePage.objects.all()), now=now)


class CourseIndexPage(FilteredIndexPage):
    """The course catalogue (/courses/): every live, public course on the site, wherever it is."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["learning_resources.CoursePage"]
    max_count = 1

    per_page = 12

    class Meta:
        verbose_name = _("课程目录")

    filters_class = CourseFilters
    listing_name = "courses"

    def get_filters(self, request):
        filters = CourseFilters(request.GET, DistrictLookup())
        filters.filter_named("tag").choices = popular_course_tags()
        return filters

    def get_listing(self, request, filters):
        return listed_courses()
