"""Site-wide views that belong to no app: robots.txt, the favicon."""

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from home.public_urls import public_url


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap_url = public_url(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /documents/",
        "Disallow: /search/",
        "Allow: /",
        "",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers and WeChat ask for /favicon.ico whatever the page links; send them the static file."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
