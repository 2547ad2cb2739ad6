from django.urls import path

from .feeds import NewestResourcesAtomFeed, NewestResourcesFeed

urlpatterns = [
    path("feeds/resources/rss/", NewestResourcesFeed(), name="resources_rss"),
    path("feeds/resources/atom/", NewestResourcesAtomFeed(), name="resources_atom"),
]
