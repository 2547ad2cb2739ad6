from django.urls import path

from . import views

urlpatterns = [
    path("tags/<str:tag_slug>/", views.tag_page, name="tag_page"),
]
