"""Absolute URLs as the public reaches the site, from one setting: ``PUBLIC_BASE_URL``.

Calendar files, the sitemap, JSON-LD, feeds, e-mails and share tags leave the site and are
opened elsewhere (a calendar app, a search engine, WeChat), so their links must name the public
scheme and host. Neither the Wagtail Site record (``localhost`` in the demo) nor the request's
Host header (an internal name behind a proxy) can be trusted for that.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def public_base_url() -> str:
    """``https://host[:port]`` without a trailing slash."""
    return settings.PUBLIC_BASE_URL.rstrip("/")


def public_url(path_or_url: str | None) -> str | None:
    """A site path (``/news/x/``) made absolute on the public host.

    A URL that is absolute already (a file on a CDN or an S3 custom domain) is left alone.
    """
    if not path_or_url:
        return path_or_url
    parts = urlsplit(path_or_url)
    if parts.scheme or path_or_url.startswith("//"):
        return path_or_url
    if not path_or_url.startswith("/"):
        path_or_url = "/" + path_or_url
    return public_base_url() + path_or_url


def webcal_url(path_or_url: str) -> str:
    """The same calendar as a ``webcal://`` link, which calendar apps open as a subscription."""
    return "webcal://" + public_url(path_or_url).split("://", 1)[1]


def page_public_url(page, request=None) -> str | None:
    """A page's absolute public URL (None if no site routes to it)."""
    url_parts = page.get_url_parts(request=request)
    if url_parts is None or url_parts[2] is None:
        return None
    return public_url(url_parts[2])
