from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/suggest/", views.suggest, name="search_suggest"),
    path("tags/<str:tag_slug>/", views.tag_page, name="tag_page"),
]
