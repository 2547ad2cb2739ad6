"""One limiter for every form that checks a secret: logins, password resets, page passwords.

Each attempt is *reserved* before the password is hashed, per subject: the client address (see
``core.client_address``) and the target (the account name, the e-mail asking for a reset, the
page's or collection's password restriction). Attempt number ``n`` of a subject is the cache key
``…:n``, claimed with ``cache.add``, which is atomic on the local-memory cache, on Redis (``SET
NX``) and on the shared cache folder (``core.cache_backends``): however many requests arrive at
once, each number goes to exactly one of them, so at most ``LOCK_AFTER`` passwords of an account
are ever checked in a lock period.

- The first ``SLOW_AFTER`` attempts go ahead at once. Attempt ``n`` after them may be claimed
  only once the wait after attempt ``n - 1`` has passed, a wait that doubles with each attempt
  (``MAX_DELAY_SECONDS`` at most); an earlier request is refused without claiming a number.
- After ``LOCK_AFTER`` attempts on a target (``ADDRESS_LOCK_AFTER`` from one address) every
  attempt is refused until ``LOCK_SECONDS`` after the last one.
- A successful login (or page password) clears its target's and its address's counters; other
  counters simply expire. A refused attempt costs the server nothing: no hashing, no sleeping.

Where the checks happen: ``ThrottledModelBackend`` (settings ``AUTHENTICATION_BACKENDS``) reserves
inside ``authenticate()``, so the admin login, Wagtail's front-end login (``/_util/login/``) and
any future login form are covered alike; ``LoginThrottleMiddleware`` reserves for password reset
requests and page or document passwords (forms that do not call ``authenticate()``), and answers
every refusal with a Chinese 429 page with ``Retry-After``. Slowed, locked and refused attempts
are logged (logger ``core.login_throttle``), never with the password.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.client_address import client_address

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SLOW_AFTER": 3,  # attempts before they are spaced out
    "LOCK_AFTER": 10,  # attempts before a lock (per target: account, e-mail, restriction)
    "ADDRESS_LOCK_AFTER": 30,  # attempts before a lock (per address: many targets tried)
    "LOCK_SECONDS": 15 * 60,
    "MAX_DELAY_SECONDS": 60,
}

LOGIN = "login"
PASSWORD_RESET = "reset"
PAGE_PASSWORD = "page-password"

# What a refusal says, per scope: (page title, message with the wait).
REFUSALS = {
    LOGIN: (
        gettext_noop("请稍后再登录"),
        gettext_noop("登录失败次数过多，为保护账号安全，请 %(wait)s后再试。"),
    ),
    PASSWORD_RESET: (
        gettext_noop("请稍后再试"),
        gettext_noop("重置密码的请求过多，请 %(wait)s后再试。"),
    ),
    PAGE_PASSWORD: (
        gettext_noop("请稍后再试"),
        gettext_noop("密码输错次数过多，为保护页面安全，请 %(wait)s后再试。"),
    ),
}


def config(name):
    return getattr(settings, "LOGIN_THROTTLE", {}).get(name, DEFAULTS[name])


class Throttled(Exception):
    """This attempt is refused; the client may try again in ``seconds``."""

    def __init__(self, scope: str, seconds: int):
        super().__init__(f"{scope} attempt refused for {seconds} s")
        self.scope = scope
        self.seconds = seconds


@dataclass(frozen=True)
class Subject:
    key: str  # cache key prefix: a keyed hash, never the account name or the address
    kind: str  # for the log: "account", "address", …
    lock_after: int


def _key(scope: str, kind: str, value: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"login:try:{scope}:{kind}:{digest[:32]}"


def subjects(request, scope: str, target: str, target_kind: str = "account") -> list[Subject]:
    """The address first: an attacker's throttled address then spends none of the target's
    attempts. ``target`` is the account name, e-mail or restriction."""
    found = []
    address = client_address(request) if request is not None else ""
    if address:
        found.append(Subject(_key(scope, "addr", address), "address", config("ADDRESS_LOCK_AFTER")))
    target = target.strip().lower()
    if target:
        found.append(Subject(_key(scope, target_kind, target), target_kind, config("LOCK_AFTER")))
    return found


def delay_after(attempt: int) -> int:
    """Seconds attempt ``attempt + 1`` must wait after attempt ``attempt`` was claimed."""
    if attempt < config("SLOW_AFTER"):
        return 0
    return min(2 ** (attempt - config("SLOW_AFTER") + 1), config("MAX_DELAY_SECONDS"))


def _claim(subject: Subject, scope: str, address: str) -> int:
    """Claim this subject's next attempt number; 0 when done. Raises Throttled."""
    lock_seconds = config("LOCK_SECONDS")
    now = time.time()
    last = cache.get(f"{subject.key}:last")  # (number, claimed at): a hint, may lag behind
    number = last[0] + 1 if last else 1
    while True:
        if number > subject.lock_after:
            claimed_at = cache.get(f"{subject.key}:{subject.lock_after}")
            if claimed_at is None:  # the slot expired a moment ago: the lock is over
                claimed_at = now - lock_seconds
            seconds = max(1, math.ceil(claimed_at + lock_seconds - now))
            logger.warning(
                "%s attempt refused: locked for %s s more for this %s (address %s)",
                scope,
                seconds,
                subject.kind,
                address,
            )
            raise Throttled(scope, seconds)
        wait = delay_after(number - 1) if number > 1 else 0
        if wait:
            # Only a real wait is checked: with none, a racing request may have claimed the
            # previous number a moment after this one read the clock, which is no reason to refuse.
            previous_at = cache.get(f"{subject.key}:{number - 1}")
            ready_at = (previous_at or 0) + wait
            if now < ready_at:
                seconds = max(1, math.ceil(ready_at - now))
                logger.warning(
                    "%s attempt refused: must wait %s s more for this %s (address %s)",
                    scope,
                    seconds,
                    subject.kind,
                    address,
                )
                raise Throttled(scope, seconds)
        slot = f"{subject.key}:{number}"
        if cache.add(slot, now, timeout=lock_seconds):
            cache.set(f"{subject.key}:last", (number, now), timeout=lock_seconds)
            break
        if cache.get(slot) is None:
            # add() refused a key that is not there: the cache is unavailable. Like the
            # sign-up limits, fail open rather than lock every editor out (logged).
            logger.warning("%s throttle skipped: the cache is unavailable", scope)
            return 0
        number += 1  # another request has this number: try the next
    if number >= subject.lock_after:
        logger.warning(
            "%s locked for %s s after %s attempts for this %s (address %s)",
            scope,
            lock_seconds,
            number,
            subject.kind,
            address,
        )
    elif number >= config("SLOW_AFTER"):
        logger.warning(
            "%s slowed: attempt %s for this %s, the next waits %s s (address %s)",
            scope,
            number,
            subject.kind,
            delay_after(number),
            address,
        )
    return number


def reserve(request, scope: str, target: str, target_kind: str = "account") -> None:
    """Reserve one attempt for ``target`` from this request's address, or raise Throttled."""
    address = client_address(request) if request is not None else ""
    for subject in subjects(request, scope, target, target_kind):
        _claim(subject, scope, address)


def clear(request, scope: str, target: str, target_kind: str = "account") -> None:
    """Forget the attempts of this target and address (after a success)."""
    keys = []
    for subject in subjects(request, scope, target, target_kind):
        keys.append(f"{subject.key}:last")
        keys.extend(f"{subject.key}:{number}" for number in range(1, subject.lock_after + 1))
    cache.delete_many(keys)


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend that reserves an attempt before it checks the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        reserve(request, LOGIN, str(username))
        return super().authenticate(request, username=username, password=password, **kwargs)

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        await sync_to_async(reserve)(request, LOGIN, str(username))
        return await super().aauthenticate(request, username=username, password=password, **kwargs)


def _on_logged_in(sender, request, user, **kwargs):
    if request is not None:
        clear(request, LOGIN, user.get_username())


def connect():
    user_logged_in.connect(_on_logged_in, dispatch_uid="core.login_throttle.logged_in")


def _back_url(request) -> str:
    """Back to the form that was sent, keeping where it leads (a page of this site only): the
    login's ``next``, or the protected page (``return_url``), which shows its password form."""

    def safe(url):
        return url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )

    return_url = request.POST.get("return_url", "")
    if safe(return_url):
        return return_url
    next_url = request.POST.get("next", "")
    if safe(next_url):
        return f"{request.path}?{urlencode({'next': next_url})}"
    return request.get_full_path()


def refusal(request, scope: str, seconds: int) -> HttpResponse:
    if seconds >= 60:
        wait = _("%(minutes)s 分钟") % {"minutes": math.ceil(seconds / 60)}
    else:
        wait = _("%(seconds)s 秒") % {"seconds": seconds}
    title, message = REFUSALS[scope]
    body = render_to_string(
        "core/login_throttled.html",
        {
            "title": _(title),
            "message": _(message) % {"wait": wait},
            "back_url": _back_url(request),
            "back_label": _("返回登录页") if scope == LOGIN else _("返回上一页"),
        },
    )
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


# URL names of the forms that check a secret without authenticate(): (scope, target from the
# request, kind of target for the log).
def _reset_target(request, kwargs):
    return request.POST.get("email", ""), "email"


def _page_restriction_target(request, kwargs):
    return f"page:{kwargs.get('page_view_restriction_id')}", "restriction"


def _document_restriction_target(request, kwargs):
    return f"collection:{kwargs.get('restriction_id')}", "restriction"


GUARDED_FORMS = {
    "wagtailadmin_password_reset": (PASSWORD_RESET, _reset_target),
    "wagtailcore_authenticate_with_password": (PAGE_PASSWORD, _page_restriction_target),
    "wagtaildocs_authenticate_with_password": (PAGE_PASSWORD, _document_restriction_target),
}


class LoginThrottleMiddleware:
    """Reserves attempts for the guarded forms; answers Throttled (from any view) with a 429."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        cleared = getattr(request, "_throttle_clear_on_redirect", None)
        if cleared and response.status_code == 302:
            clear(request, *cleared)  # the page password was right
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match is None:
            return None
        guarded = GUARDED_FORMS.get(request.resolver_match.url_name)
        if guarded is None:
            return None
        scope, target_of = guarded
        target, kind = target_of(request, view_kwargs)
        try:
            reserve(request, scope, target, kind)
        except Throttled as throttled:
            return refusal(request, throttled.scope, throttled.seconds)
        if scope == PAGE_PASSWORD:
            request._throttle_clear_on_redirect = (scope, target, kind)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, Throttled):
            return refusal(request, exception.scope, exception.seconds)
        return None
