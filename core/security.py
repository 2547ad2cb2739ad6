"""Security headers for every response, and /.well-known/security.txt.

Django 5.2 has no Content-Security-Policy of its own; this middleware adds one, with
``Permissions-Policy`` (Django's SecurityMiddleware already sends nosniff, Referrer-Policy, HSTS
and, with XFrameOptionsMiddleware, X-Frame-Options).

Three policies:

- public pages: scripts, styles, fonts and media from this site only; the one inline script (the
  长辈模式 and 适老化工具 switch in base.html's <head>) is allowed by its SHA-256 hash, nothing else inline;
  images also from the S3 bucket's domain when uploads live there; not framable, except that a
  preview of a page (Wagtail's fake request to its URL) may be framed by the admin (same origin).
- the admin (/admin/): Wagtail's admin needs inline styles and scripts of its own, and frames its
  own previews, so it gets a looser policy that still keeps other sites from framing it.
- documents (/documents/): Wagtail's serve view sends ``default-src 'none'``; we add ``sandbox``
  so even an inline-viewed file can run nothing.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .public_urls import public_url

# SHA-256 of the inline head script in zzsite/templates/base.html (长辈模式 and the 适老化工具
# settings, applied before the first paint). Editing that script means
# updating this hash (tests/core/test_security.py recomputes it from the template and fails otherwise).
ELDER_MODE_SCRIPT_HASH = "sha256-svUIo2kaDMI2UONXMksU8b0ExYu0TORXjuNsA+HXIVY="

ADMIN_PREFIX = "/admin/"
DOCUMENTS_PREFIX = "/documents/"


def script_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _storage_origins() -> list[str]:
    """Where uploaded images and media are served from when they live in an S3 bucket."""
    options = settings.STORAGES.get("default", {}).get("OPTIONS", {})
    origins = []
    if options.get("custom_domain"):
        origins.append("https://" + options["custom_domain"].strip("/"))
    endpoint = options.get("endpoint_url")
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    elif options.get("bucket_name"):
        origins.append(f"https://{options['bucket_name']}.s3.amazonaws.com")
    return origins


def public_policy(frame_ancestors: str = "'none'") -> str:
    storage = " ".join(_storage_origins())
    extra_frames = " ".join(getattr(settings, "CSP_FRAME_SRC", []))
    extra_media = " ".join(getattr(settings, "CSP_MEDIA_SRC", []))
    directives = [
        "default-src 'self'",
        f"script-src 'self' '{ELDER_MODE_SCRIPT_HASH}'",
        "style-src 'self'",
        f"img-src 'self' data: {storage}".strip(),
        f"media-src 'self' {storage} {extra_media}".strip(),
        "font-src 'self'",
        "connect-src 'self'",
        f"frame-src 'self' {extra_frames}".strip(),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ]
    return "; ".join(directives)


def preview_policy() -> str:
    """A page as the admin previews it: the public policy, framable by the admin's own panel."""
    return public_policy(frame_ancestors="'self'")


def admin_policy() -> str:
    storage = " ".join(_storage_origins())
    directives = [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {storage}".strip(),
        f"media-src 'self' blob: {storage}".strip(),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
    return "; ".join(directives)


DOCUMENT_POLICY = "default-src 'none'; sandbox; frame-ancestors 'self'"

PERMISSIONS_POLICY = (
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy, keeping any a view set itself."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.public = public_policy()
        self.admin = admin_policy()
        self.preview = preview_policy()

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path_info
        if getattr(request, "is_dummy", False):
            # Wagtail renders a preview (edit panel, revision, moderator's view) as a fake request
            # to the page's public URL, run through this middleware too: it must stay framable by
            # the admin and kept by no browser or proxy (it may show unpublished content).
            response["Content-Security-Policy"] = self.preview
            patch_cache_control(response, private=True, no_store=True)
            if response.get("X-Frame-Options") == "DENY":
                response["X-Frame-Options"] = "SAMEORIGIN"
        elif path.startswith(DOCUMENTS_PREFIX):
            response["Content-Security-Policy"] = DOCUMENT_POLICY
            response.setdefault("X-Content-Type-Options", "nosniff")
        elif path.startswith(ADMIN_PREFIX):
            response.setdefault("Content-Security-Policy", self.admin)
        else:
            response.setdefault("Content-Security-Policy", self.public)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def security_txt_body(request) -> str:
    expires = timezone.now().replace(microsecond=0) + timedelta(days=180)
    canonical = public_url("/.well-known/security.txt")
    lines = [f"Contact: {contact}" for contact in settings.SECURITY_CONTACTS]
    lines += [
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: zh, en",
        f"Canonical: {canonical}",
    ]
    if getattr(settings, "SECURITY_POLICY_URL", ""):
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    return "\n".join(lines) + "\n"


@require_GET
@cache_control(max_age=86400, public=True)
def security_txt(request):
    """RFC 9116: who to tell about a vulnerability. Expires is always about six months ahead."""
    return HttpResponse(security_txt_body(request), content_type="text/plain; charset=utf-8")
