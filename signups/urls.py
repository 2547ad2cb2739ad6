from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^signup/lookup/$", views.lookup, name="signup_lookup"),
    re_path(r"^signup/status/(?P<token>[^/]+)/$", views.status, name="signup_status"),
    re_path(r"^signup/(?P<occurrence_id>[^/]+)/$", views.signup, name="signup"),
]
