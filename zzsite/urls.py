from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from api.urls import api_router
from core.security import security_txt
from events import urls as events_urls
from learning_resources import urls as learning_resources_urls
from news import urls as news_urls
from search import urls as search_urls
from signups import urls as signups_urls

from .views import favicon, robots_txt

# A database outage answers a Chinese 503 page with Retry-After; other errors the 500 page.
handler500 = "core.resilience.server_error"

urlpatterns = [
    path(".well-known/security.txt", security_txt, name="security_txt"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("", include(learning_resources_urls)),
    path("", include(events_urls)),
    path("", include(signups_urls)),
    path("", include(news_urls)),
    path("", include(search_urls)),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

if settings.SERVE_MEDIA_FILES:
    from django.urls import re_path

    from .views import serve_media

    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(
            rf"^{media_prefix}(?P<path>.*)$",
            serve_media,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Wagtail serves every page; this catch-all must stay last.
urlpatterns += [path("", include(wagtail_urls))]
