from django.urls import path

from .feeds import LecturesAtomFeed, LecturesFeed

urlpatterns = [
    path("feeds/lectures/rss/", LecturesFeed(), name="lectures_rss"),
    path("feeds/lectures/atom/", LecturesAtomFeed(), name="lectures_atom"),
]
