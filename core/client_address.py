"""The client's address, for every limiter (login throttle, sign-up limits): one rule.

Behind ``TRUSTED_PROXY_HOPS`` proxies, each of which appends the address it received the request
from to ``X-Forwarded-For``, the client is the entry that many places from the right: the one
the outermost trusted proxy wrote. Entries further left came from the client and can say
anything, so they are never used. With 0 hops (the default) the client is ``REMOTE_ADDR``: the
app server is reached directly.

``SIGNUP_CLIENT_IP_HEADER`` (e.g. ``HTTP_X_REAL_IP``) is the other way to say it: a header the
single proxy in front overwrites with the client address. It is used only when no hops are set.

A header that does not hold an address where one must be (a proxy left out, or misconfigured)
falls back to ``REMOTE_ADDR``: never to a value the client chose.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _parse(value: str) -> str | None:
    """The address in one header entry (IPv4 with a port and [IPv6]:port accepted), or None."""
    value = value.strip()
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # 203.0.113.7:443
        value = value.partition(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    if hops > 0:
        entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(entries) >= hops:
            return _parse(entries[-hops]) or remote
        return remote
    header = getattr(settings, "SIGNUP_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        # An overwriting proxy writes one address; if a client's value was kept in front of it,
        # the last entry is still the proxy's.
        return _parse(request.META[header].split(",")[-1]) or remote
    return remote
