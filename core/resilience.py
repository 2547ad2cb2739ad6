"""Keep serving through a failing cache server or a briefly unavailable database.

- ``ResilientRedisCache``: Django's RedisCache whose every operation treats a connection error
  or timeout as a miss (reads) or a no-op (writes) and logs a warning, so pages render from the
  database while Redis is down. After a failure it leaves Redis alone for a moment (a tiny circuit
  breaker) instead of paying a connection attempt per cache call.
- ``server_error``: the 500 handler. A database that cannot be reached (``OperationalError``,
  ``InterfaceError``, wherever in the stack it was raised) answers a Chinese 503 page with
  ``Retry-After``, rendered without touching the database; Django closes the broken connection at
  the end of the request, so the next request reconnects and the site recovers by itself.
"""

from __future__ import annotations

import logging
import sys
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


# --- the cache -------------------------------------------------------------------------------


def _redis_errors():
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    """RedisCache that degrades to "no cache" while Redis is unreachable."""

    # After a failure, skip Redis for this long before trying again.
    pause_seconds = 2.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._paused_until = 0.0
        self._errors = _redis_errors()

    def _call(self, operation, fallback, *args, **kwargs):
        if time.monotonic() < self._paused_until:
            return fallback
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except self._errors as error:
            self._paused_until = time.monotonic() + self.pause_seconds
            logger.warning(
                "Cache unavailable (%s failed: %s); serving without it", operation, error
            )
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._call("incr", _MISSING, key, delta, version)
        if result is _MISSING:
            # As for a key that is not there: callers already handle it (and fail open).
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)


_MISSING = object()


# --- the database ----------------------------------------------------------------------------


def database_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


def service_unavailable_response() -> HttpResponse:
    """The 503 page: static HTML from 503.html, no request context, no database."""
    try:
        body = loader.get_template("503.html").render()
    except Exception:  # noqa: BLE001 - the last line of defence must answer something
        body = "<!DOCTYPE html><title>服务暂时不可用</title><h1>服务暂时不可用，请稍后再试。</h1>"
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name="500.html"):
    """handler500: a database outage is a 503 (retry soon), anything else the usual 500 page."""
    error = sys.exc_info()[1]
    if database_unavailable(error):
        logger.error("Database unavailable, answered 503: %s", error)
        return service_unavailable_response()
    try:
        template = loader.get_template(template_name)
    except Exception:  # noqa: BLE001
        return HttpResponseServerError("<h1>Server Error (500)</h1>", content_type="text/html")
    return HttpResponseServerError(template.render())
