"""The course sections learning_resources adds to the home page and to school pages."""

from __future__ import annotations

from django.db.models import F, Q

from home.sections import PageListSection, index_page_url

from .models import CourseIndexPage, CoursePage, CourseStatus, listed_courses


def featured_courses_section():
    """On the home page: pinned courses, then courses open for enrolment, newest first."""

    def open_courses(page, request):
        return (
            listed_courses()
            .filter(schedule_status=CourseStatus.OPEN)
            .order_by("-first_published_at", "-pk")
        )

    return PageListSection(
        key="featured-courses",
        title="精选课程",
        template="home/sections/page_list.html",
        page_types=(CoursePage,),
        newest=open_courses,
        # Editors may feature a course that is already running (or over): the pin decides.
        pinnable=lambda page, request: listed_courses(),
        more_url=index_page_url(CourseIndexPage),
    )


def courses_here_section():
    """On a school page: courses posted under it or held at it, open and running ones first."""

    def courses_here(page, request):
        return (
            listed_courses()
            .filter(Q(path__startswith=page.path) | Q(venue__path__startswith=page.path))
            .order_by("finished_last", F("next_start").asc(nulls_last=True), "-pk")
        )

    return PageListSection(
        key="courses-here",
        title="在这里开设的课程",
        template="home/sections/page_list.html",
        page_types=(CoursePage,),
        newest=courses_here,
        limit=6,
        more_url=index_page_url(CourseIndexPage),
    )
