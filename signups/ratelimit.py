"""A per-address counter in Django's cache against floods of sign-ups or token guesses.

The cache key holds a keyed hash of the address, never the address itself.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import cache

from core.client_address import client_address as shared_client_address

logger = logging.getLogger(__name__)


def client_address(request) -> str:
    """The one rule for every limiter (TRUSTED_PROXY_HOPS, docs/deploy.md)."""
    return shared_client_address(request)


def _key(scope: str, address: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return f"signups:rate:{scope}:{digest[:32]}"


def over_limit(request, scope: str = "write") -> bool:
    """Count this request; True when the address has used up its allowance for the window."""
    limit = settings.SIGNUP_RATE_LIMIT
    if not limit:
        return False
    key = _key(scope, client_address(request))
    try:
        cache.add(key, 0, timeout=settings.SIGNUP_RATE_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr (or the cache is unavailable)
            cache.set(key, 1, timeout=settings.SIGNUP_RATE_WINDOW)
            count = 1
    except Exception as error:  # noqa: BLE001 - a broken cache must not stop sign-ups
        # Fail open: residents can still sign up while the cache server is down.
        logger.warning("Sign-up rate limit skipped, cache unavailable: %s", error)
        return False
    return count > limit


def limit_reached(request, scope: str) -> bool:
    """Whether the address has used up its allowance, without counting this request (for
    scopes that count only failures, such as look-ups)."""
    limit = settings.SIGNUP_RATE_LIMIT
    if not limit:
        return False
    try:
        count = cache.get(_key(scope, client_address(request))) or 0
    except Exception as error:  # noqa: BLE001 - fail open, as over_limit does
        logger.warning("Sign-up rate limit skipped, cache unavailable: %s", error)
        return False
    return count >= limit
