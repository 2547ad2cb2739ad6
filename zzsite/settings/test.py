"""Tests: in-memory SQLite (unless DATABASE_URL is set), fast hashing, local-memory cache."""

import tempfile

from .base import *  # noqa: F403
from .base import DATABASES
from .env import env_bool, env_str

DEBUG = False
SECRET_KEY = "test-only-key-7c1d9e0f2b3a4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "renditions": RENDITIONS_CACHE,  # noqa: F405
}
# Absolute URLs as Django's test client names the host; the browser tests' server gets its own.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://testserver").rstrip("/")
WAGTAILAPI_BASE_URL = PUBLIC_BASE_URL
# Off unless a test turns it on (tests/core/test_page_cache.py): other tests count queries per request.
PAGE_CACHE_ENABLED = False
# Likewise: a query budget measures the full render (FRAGMENT_CACHE_ENABLED=1 for a live server).
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", False)
# tests/core/test_resilience.py serves the demo site against a private redis-server it starts (and
# kills): the production cache backend with the page cache on.
if env_str("TEST_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "core.resilience.ResilientRedisCache",
            "LOCATION": env_str("TEST_REDIS_URL"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        "renditions": RENDITIONS_CACHE,  # noqa: F405
    }
    PAGE_CACHE_ENABLED = True
# The browser tests' server process shares its media folder with the loader, through MEDIA_ROOT.
MEDIA_ROOT = env_str("MEDIA_ROOT") or tempfile.mkdtemp(prefix="zzsite-test-media-")
PRIVATE_MEDIA_ROOT = env_str("PRIVATE_MEDIA_ROOT") or tempfile.mkdtemp(
    prefix="zzsite-test-private-"
)
SERVE_MEDIA_FILES = True
WHITENOISE_USE_FINDERS = True  # static files straight from the source folders, no collectstatic

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
DEMO_CONTENT_ALLOWED = True
