"""System checks: ``manage.py check`` (and every server start) refuses what would break the site;
``check --deploy`` also warns about a production set-up that would misbehave behind its proxy."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

# The check ids keep their ``home.`` prefix from before these checks moved to core: the deploy
# docs and the tests name them so, and an operator may already silence one by that id.

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "testserver"}


@checks.register()
def check_public_base_url(app_configs=None, **kwargs):
    """Links in calendars, the sitemap, feeds and e-mails are opened off the site: in
    production they must name the public host, never a local one."""
    base = getattr(settings, "PUBLIC_BASE_URL", "")
    parts = urlsplit(base)
    if base and (parts.scheme not in ("http", "https") or not parts.hostname or parts.path):
        return [
            checks.Error(
                f"PUBLIC_BASE_URL={base!r} is not a base URL such as https://xuexi.example.cn.",
                id="home.E101",
            )
        ]
    if not getattr(settings, "PUBLIC_BASE_URL_REQUIRED", False):
        return []
    if not base:
        return [
            checks.Error(
                "PUBLIC_BASE_URL is not set and ALLOWED_HOSTS names no host to derive it from.",
                hint="Set PUBLIC_BASE_URL=https://<the public host> (docs/deploy.md).",
                id="home.E102",
            )
        ]
    if parts.hostname in LOCAL_HOSTS or parts.hostname.endswith(".localhost"):
        return [
            checks.Error(
                f"PUBLIC_BASE_URL={base!r} is a local address: calendar entries, the sitemap "
                "and e-mails would link to the reader's own machine.",
                hint="Set PUBLIC_BASE_URL=https://<the public host> (docs/deploy.md).",
                id="home.E103",
            )
        ]
    if parts.scheme != "https":
        return [
            checks.Warning(
                f"PUBLIC_BASE_URL={base!r} is not https: production serves HTTPS only.",
                id="home.W104",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def client_address_is_configured(app_configs=None, **kwargs):
    """Behind a proxy (production trusts its X-Forwarded-Proto), REMOTE_ADDR is the proxy's own
    address: without TRUSTED_PROXY_HOPS (or an overwritten header) every limiter would count all
    residents as one client, and a few bad logins would lock every editor out."""
    if not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return []  # not production behind a proxy (development, tests)
    if getattr(settings, "TRUSTED_PROXY_HOPS", 0) > 0 or getattr(
        settings, "SIGNUP_CLIENT_IP_HEADER", ""
    ):
        return []
    return [
        checks.Warning(
            "Behind a proxy, but neither TRUSTED_PROXY_HOPS nor SIGNUP_CLIENT_IP_HEADER is set: "
            "the sign-up and login limits count every client as the proxy's address.",
            hint=(
                "Set TRUSTED_PROXY_HOPS to the number of proxies that append to "
                "X-Forwarded-For (1 for one nginx or load balancer); see docs/deploy.md."
            ),
            id="home.W001",
        )
    ]
