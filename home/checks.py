"""System checks for a production deployment (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
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
        Warning(
            "Behind a proxy, but neither TRUSTED_PROXY_HOPS nor SIGNUP_CLIENT_IP_HEADER is set: "
            "the sign-up and login limits count every client as the proxy's address.",
            hint=(
                "Set TRUSTED_PROXY_HOPS to the number of proxies that append to "
                "X-Forwarded-For (1 for one nginx or load balancer); see docs/deploy.md."
            ),
            id="home.W001",
        )
    ]
