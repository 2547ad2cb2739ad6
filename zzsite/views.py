"""Site-wide views that belong to no app: robots.txt, the favicon, the CSRF refusal page, and
uploaded media when Django serves them itself."""

import re

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.static import serve

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


BYTE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def serve_media(request, path, document_root):
    """Uploaded media for `make run` and the tests (SERVE_MEDIA_FILES), with byte ranges.

    Django's static ``serve`` answers every request whole (200). A browser needs 206 answers to
    ``Range`` requests to seek in a video or audio it has not finished downloading: without them
    a click on a transcript line or a chapter starts the recording again from the beginning.
    Production's web server or bucket answers ranges itself.
    """
    response = serve(request, path, document_root=document_root)
    match = BYTE_RANGE.match(request.headers.get("Range", "").strip())
    if response.status_code != 200 or not hasattr(response, "file_to_stream"):
        return response
    response["Accept-Ranges"] = "bytes"
    if match is None or request.method != "GET":
        return response
    size = int(response["Content-Length"])
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    elif last:
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = 0, size - 1
    if start >= size or start > end:
        response.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    with response.file_to_stream as handle:
        handle.seek(start)
        data = handle.read(end - start + 1)
    partial = HttpResponse(data, status=206, content_type=response["Content-Type"])
    partial["Content-Range"] = f"bytes {start}-{end}/{size}"
    partial["Accept-Ranges"] = "bytes"
    partial["Last-Modified"] = response["Last-Modified"]
    return partial
