from django.urls import path, re_path

from .feeds import LecturesAtomFeed, LecturesFeed
from .schedule_views import place_schedule, place_schedule_pdf

urlpatterns = [
    path("feeds/lectures/rss/", LecturesFeed(), name="lectures_rss"),
    path("feeds/lectures/atom/", LecturesAtomFeed(), name="lectures_atom"),
    # A place's large-print week (see events.schedule_views); any id reaches the view, which
    # answers one it cannot show with a Chinese 404.
    re_path(r"^schedule/(?P<place_id>[^/]+)/$", place_schedule, name="place_schedule"),
    re_path(r"^schedule/(?P<place_id>[^/]+)/pdf/$", place_schedule_pdf, name="place_schedule_pdf"),
]
