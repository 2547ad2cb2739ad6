"""Slow down, then refuse for a while, repeated failed admin logins, per account and per address.

Failures are counted in Django's cache (``user_login_failed``), under keyed hashes of the
account name and the client address. After ``LOGIN_THROTTLE["SLOW_AFTER"]`` failures the next
attempt must wait a delay that doubles with each further failure (a refused attempt costs the
server nothing: no password hashing, no sleeping worker); after ``LOCK_AFTER`` failures the
account or address is refused for ``LOCK_SECONDS``. Nothing lasts forever: every counter expires,
and a successful login resets the account's and the address's counters. Each slowed or refused
attempt and each lock is logged (logger ``home.login_throttle``), without the password.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SLOW_AFTER": 3,  # failures before attempts are spaced out
    "LOCK_AFTER": 10,  # failures before a lock (per account)
    "ADDRESS_LOCK_AFTER": 30,  # failures before a lock (per address: many accounts tried)
    "LOCK_SECONDS": 15 * 60,
    "MAX_DELAY_SECONDS": 60,
}


def config(name):
    return getattr(settings, "LOGIN_THROTTLE", {}).get(name, DEFAULTS[name])


def client_address(request) -> str:
    header = getattr(settings, "SIGNUP_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(kind: str, value: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"login:fail:{kind}:{digest[:32]}"


def _subjects(request, username: str) -> list[tuple[str, str, int]]:
    """(cache key, description for the log, lock threshold) for the account and the address."""
    subjects = []
    if username:
        subjects.append((_key("user", username.strip().lower()), "account", config("LOCK_AFTER")))
    address = client_address(request)
    if address:
        subjects.append((_key("addr", address), "address", config("ADDRESS_LOCK_AFTER")))
    return subjects


def wait_seconds(request, username: str) -> int:
    """How long this account or address must wait before its next attempt (0: go ahead)."""
    now = time.time()
    longest = 0.0
    for key, _kind, _lock_after in _subjects(request, username):
        state = cache.get(key)
        if state:
            longest = max(longest, state.get("until", 0) - now)
    return max(0, math.ceil(longest))


def record_failure(request, username: str) -> None:
    now = time.time()
    for key, kind, lock_after in _subjects(request, username):
        state = cache.get(key) or {"count": 0, "until": 0}
        state["count"] += 1
        count = state["count"]
        if count >= lock_after:
            state["until"] = now + config("LOCK_SECONDS")
            logger.warning(
                "Admin login locked for %s s: %s failures for this %s (address %s)",
                config("LOCK_SECONDS"),
                count,
                kind,
                client_address(request),
            )
        elif count >= config("SLOW_AFTER"):
            delay = min(2 ** (count - config("SLOW_AFTER") + 1), config("MAX_DELAY_SECONDS"))
            state["until"] = now + delay
            logger.warning(
                "Admin login slowed by %s s: %s failures for this %s (address %s)",
                delay,
                count,
                kind,
                client_address(request),
            )
        # The counter forgets a quiet account after the lock period.
        cache.set(key, state, timeout=config("LOCK_SECONDS") + config("MAX_DELAY_SECONDS"))


def reset(request, username: str) -> None:
    cache.delete_many([key for key, _kind, _lock_after in _subjects(request, username)])


def _on_login_failed(sender, credentials, request=None, **kwargs):
    if request is not None:
        record_failure(request, credentials.get("username", ""))


def _on_logged_in(sender, request, user, **kwargs):
    if request is not None:
        reset(request, user.get_username())


def connect():
    user_login_failed.connect(_on_login_failed, dispatch_uid="home.login_throttle.failed")
    user_logged_in.connect(_on_logged_in, dispatch_uid="home.login_throttle.logged_in")


def refusal(seconds: int) -> HttpResponse:
    if seconds >= 60:
        wait = _("%(minutes)s 分钟") % {"minutes": math.ceil(seconds / 60)}
    else:
        wait = _("%(seconds)s 秒") % {"seconds": seconds}
    message = _("登录失败次数过多，为保护账号安全，请 %(wait)s后再试。") % {"wait": wait}
    body = render_to_string(
        "home/login_throttled.html",
        {"message": message, "login_url": reverse("wagtailadmin_login")},
    )
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


class LoginThrottleMiddleware:
    """Refuses a login attempt (POST to the admin login) while its account or address waits."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.login_path = None

    def __call__(self, request):
        if request.method == "POST":
            if self.login_path is None:
                self.login_path = reverse("wagtailadmin_login")
            if request.path_info == self.login_path:
                seconds = wait_seconds(request, request.POST.get("username", ""))
                if seconds:
                    logger.warning(
                        "Admin login attempt refused (wait %s s), address %s",
                        seconds,
                        client_address(request),
                    )
                    return refusal(seconds)
        return self.get_response(request)
