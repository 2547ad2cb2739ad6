from django.urls import path

from .feeds import NewsAtomFeed, NewsFeed

urlpatterns = [
    path("feeds/news/rss/", NewsFeed(), name="news_rss"),
    path("feeds/news/atom/", NewsAtomFeed(), name="news_atom"),
]
