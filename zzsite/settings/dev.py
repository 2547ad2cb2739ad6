"""Development: SQLite file, DEBUG on, e-mail to the console. Works with no variable set."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "dev-only-key-not-for-production-9f3b2c7e1a4d")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEMO_CONTENT_ALLOWED = True
SERVE_MEDIA_FILES = True
# Template and code edits show at once; set PAGE_CACHE_ENABLED=1 to try the cache locally.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", False)
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", False)
