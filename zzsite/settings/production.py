"""Production: refuses to start without SECRET_KEY and ALLOWED_HOSTS; HTTPS everywhere."""

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_required, env_str

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("The ALLOWED_HOSTS environment variable is required in production.")

# The public address: PUBLIC_BASE_URL, else https:// and the first named public host of
# ALLOWED_HOSTS. core.checks makes `manage.py check` and `migrate` fail on a local or missing one.
_first_named_host = next(
    (
        host.lstrip(".")
        for host in ALLOWED_HOSTS
        if "*" not in host and host.lstrip(".") not in ("localhost", "127.0.0.1", "[::1]")
    ),
    "",
)
PUBLIC_BASE_URL = (
    env_str("PUBLIC_BASE_URL") or (f"https://{_first_named_host}" if _first_named_host else "")
).rstrip("/")
PUBLIC_BASE_URL_REQUIRED = True
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", PUBLIC_BASE_URL)
WAGTAILAPI_BASE_URL = PUBLIC_BASE_URL

# TLS ends at the proxy or load balancer, which says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Without REDIS_URL, the workers of this machine share a cache folder, so that a publish seen by
# one worker invalidates the page cache of all; with several machines, set REDIS_URL.
if not REDIS_URL:  # noqa: F405
    CACHES = {
        "default": {
            # Django's FileBasedCache, remembering small values until their file changes.
            "BACKEND": "core.cache_backends.SharedFolderCache",
            "LOCATION": env_str("CACHE_DIR", str(BASE_DIR / "var" / "cache")),  # noqa: F405
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)},
        },
        "renditions": RENDITIONS_CACHE,  # noqa: F405
    }

# Demo users have published passwords: `load_demo` refuses to run here.
DEMO_CONTENT_ALLOWED = False
