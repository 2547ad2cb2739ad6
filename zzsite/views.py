"""Site-wide views that belong to no app: robots.txt, the favicon, the CSRF refusal page."""

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core.public_urls import public_url


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


def csrf_failure(request, reason=""):
    """Django's CSRF refusal, in Chinese and in the site's layout (settings.CSRF_FAILURE_VIEW).

    Residents meet it when a form stayed open for a long time (the cookie was renewed or
    cleared) or when cookies are blocked. The way back is the page the form came from: every
    public form posts to its own page, so that is the path just posted to.
    """
    from django.shortcuts import render
    from django.utils.http import url_has_allowed_host_and_scheme

    back = request.path if request.method == "POST" else ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    response = render(request, "403_csrf.html", {"back_url": back}, status=403)
    response["Cache-Control"] = "private, no-store"
    return response
