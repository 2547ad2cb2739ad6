"""Content staff journeys start from, made in the demo database (in-process or in a served site)."""

from __future__ import annotations

WORKER_COURSE_SLUG = "worker-course"
WORKER_COURSE_TITLE = "社区太极晨练课"


def course_in_workers_school(username: str = "jinshui_worker"):
    """A published course with lessons under the first school the community worker may edit.

    The demo's courses live in the catalogue, outside any worker's subtree; this copies one (its
    lessons and teachers with it) under the worker's school, as a moderator would have published.
    """
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    from learning_resources.models import CoursePage
    from schools.models import SchoolPage

    existing = CoursePage.objects.filter(slug=WORKER_COURSE_SLUG).first()
    if existing is not None:
        return existing
    worker = get_user_model().objects.get(username=username)
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    school = next(
        school.specific
        for school in Page.objects.type(SchoolPage).order_by("-depth", "pk")
        if school.permissions_for_user(worker).can_add_subpage()
    )
    source = next(
        course for course in CoursePage.objects.live().order_by("pk") if course.lessons.count() >= 2
    )
    return source.copy(
        to=school,
        update_attrs={"slug": WORKER_COURSE_SLUG, "title": WORKER_COURSE_TITLE},
        keep_live=True,
        user=admin,
    ).specific
