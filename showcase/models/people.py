"""/teachers/: the teachers and speakers of live courses and lectures, a profile each."""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search import index

from core.segmentation import SegmentedSearchMixin
from events.models import LecturePage, LectureSpeaker
from home.filters import paginate
from home.models import Person
from home.page_base import BasePage
from home.queries import live_public
from learning_resources.models import CourseTeacher, listed_courses


def teaching_people():
    """People who teach a live, public course or give a live, public lecture."""
    course_ids = live_public(Page.objects.all()).values("pk")
    return Person.objects.filter(
        models.Q(pk__in=CourseTeacher.objects.filter(page__in=course_ids).values("person_id"))
        | models.Q(pk__in=LectureSpeaker.objects.filter(page__in=course_ids).values("person_id"))
    )


PHOTO_RENDITION = "fill-240x240|format-webp"


class PeopleIndexPage(BasePage, RoutablePageMixin, Page):
    """/teachers/: every teacher and speaker with a live course or lecture; a profile each."""

    intro = models.TextField(_("导语"), blank=True, max_length=300)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count = 1
    per_page = 24

    class Meta:
        verbose_name = _("师资队伍")

    def people(self):
        return (
            teaching_people()
            .prefetch_related(
                Prefetch(
                    "photo",
                    queryset=get_image_model().objects.prefetch_renditions(PHOTO_RENDITION),
                )
            )
            .order_by("name", "pk")
        )

    @path("")
    def index_route(self, request):
        results = paginate(self.people(), request.GET.get("page"), self.per_page)
        return self.render(
            request,
            context_overrides={
                "results": results,
                "people": results.page.object_list,
            },
        )

    @path("<int:person_id>/")
    def profile(self, request, person_id):
        person = self.people().filter(pk=person_id).first()
        if person is None:
            raise Http404
        courses = list(
            listed_courses().filter(teachers__person=person).order_by("-first_published_at")
        )
        lectures = list(
            LecturePage.with_card_data(live_public(LecturePage.objects.all()))
            .filter(speakers__person=person)
            .distinct()
            .order_by("-first_published_at", "-pk")
        )
        return TemplateResponse(
            request,
            "showcase/person_page.html",
            {
                "page": self,
                "person": person,
                "courses": courses,
                "lectures": lectures,
                "share_title": f"{person.name} - {self.title}",
                "share_description": person.affiliation or person.title,
                "share_image": person.photo,
            },
        )

    def person_url(self, person, request=None) -> str:
        return self.get_url(request) + self.reverse_subpage("profile", args=[person.pk])

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        if base:
            for person in teaching_people().only("pk").order_by("pk"):
                urls.append({"location": base + self.reverse_subpage("profile", args=[person.pk])})
        return urls
