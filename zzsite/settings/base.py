"""Settings shared by every environment. Anything deployment-specific comes from the environment."""

from pathlib import Path

import dj_database_url

from .env import env_bool, env_float, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "core",
    "home",
    "schools",
    "learning_resources",
    "events",
    "signups",
    "news",
    "showcase",
    "search",
    "api",
    "demo",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    # Two-factor sign-in to the admin (TOTP apps such as 微信/支付宝 authenticators), when
    # ADMIN_2FA_REQUIRED is on.
    "wagtail_2fa",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every answer, cached pages included.
    "core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Right after static files: a cached page costs no more of the stack than a CSS file.
    "core.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Answers a throttled password attempt with a 429 page (core.login_throttle).
    "core.login_throttle.LoginThrottleMiddleware",
    # A signed-in user's session is saved again as they work: the idle expiry slides.
    "core.admin_session.SlidingSessionMiddleware",
    # With ADMIN_2FA_REQUIRED: staff confirm a one-time code from their authenticator app.
    "wagtail_2fa.middleware.VerifyUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.middleware.SiteRoutingMiddleware",
]

ROOT_URLCONF = "zzsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "zzsite.wsgi.application"

# SQLite file by default; DATABASE_URL (e.g. postgres://user@host:5432/zzsite) switches engines.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}

# SQLite: take the write lock when a transaction begins, so transactions that read and then write
# (sign-up seat counting) queue up instead of failing with "database is locked" mid-way.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One process (runserver): a local-memory cache. REDIS_URL (redis://host:6379/0) shares the cache
# between every worker and app server; production without it uses a folder that the workers of one
# machine share (see production.py), so the page cache's invalidation reaches all of them.
REDIS_URL = env_str("REDIS_URL")
# The Redis backend treats a connection error or timeout as a miss and logs it (core.resilience):
# with Redis down, pages render from the database; short timeouts keep a dead server cheap.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.resilience.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "zzsite"),
            "OPTIONS": {
                "socket_connect_timeout": env_float("REDIS_CONNECT_TIMEOUT", 0.5),
                "socket_timeout": env_float("REDIS_TIMEOUT", 0.5),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "zzsite",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Renditions are prefetched with the pages that show them (home.cards), so Wagtail's rendition
# cache would only be written to: with the shared cache that is a file write or a Redis round trip
# per picture on every render. The dummy backend makes those writes free.
RENDITIONS_CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
CACHES["renditions"] = RENDITIONS_CACHE

# Sessions: in the database by default; with Redis, read through the cache (any app server can
# answer any visitor) and still written to the database, so a Redis restart logs nobody out.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Only staff sign in. Their sessions end when the browser closes (a browser-session cookie) and
# after ADMIN_SESSION_IDLE_MINUTES without activity (等保 2.0); core.admin_session slides it.
ADMIN_SESSION_IDLE_MINUTES = env_int("ADMIN_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = ADMIN_SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Two-factor sign-in (wagtail-2fa, django-otp TOTP) for everyone who can reach the admin: off by
# default; on, a user without an authenticator is sent to set one up before anything else.
WAGTAIL_2FA_REQUIRED = env_bool("ADMIN_2FA_REQUIRED", False)
OTP_TOTP_ISSUER = env_str("ADMIN_2FA_ISSUER", "郑州终身学习网")

# Background tasks (Wagtail's search-index and reference-index updates, CDN purges, file
# deletion): run inside the request by default. TASKS_BACKEND=database queues them in the
# database for a worker process: `manage.py db_worker` (django-tasks-db).
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate").lower()
TASK_BACKENDS_BY_NAME = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in TASK_BACKENDS_BY_NAME:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS_BY_NAME)}, got {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS_BY_NAME[TASKS_BACKEND]}}

# The page cache (core.page_cache): whole responses for anonymous GETs, invalidated exactly when
# what they show changes; the timeout bounds what time alone changes ("upcoming", course status).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# What a visitor's browser and a CDN may keep without asking again.
PAGE_CACHE_BROWSER_SECONDS = env_int("PAGE_CACHE_BROWSER_SECONDS", 60)
PAGE_CACHE_CDN_SECONDS = env_int("PAGE_CACHE_CDN_SECONDS", 120)
PAGE_CACHE_EXCLUDED_PATHS = ["/admin/", "/documents/", "/media/", "/static/"]
PAGE_CACHE_PURGE_URLS_PER_KEY = 2000
# Parts of pages kept the same way (core.page_cache.cached_fragment): the home page's and school
# pages' sections, reused by every render outside the page cache until what they show changes.
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", True)
# Content models whose change bumps every cached page (filters, labels and the footer show them;
# the search's synonyms change what /search/ answers), and snippets that pages show (found
# through the reference index); core names no content app.
PAGE_CACHE_SITE_WIDE_MODELS = [
    "home.Audience",
    "home.Category",
    "taggit.Tag",
    "search.SearchSynonym",
]
PAGE_CACHE_SHOWN_MODELS = ["home.Person"]
# The per-site settings (网站信息) that core.middleware loads joined to the Site row.
SITE_SETTINGS_MODEL = "home.SiteSettings"

# A CDN in front (off by default): FRONTEND_CACHE_PURGE_URL is the CDN's or Varnish's purge
# endpoint (Wagtail's HTTP backend sends PURGE requests there); bumps in the page cache purge the
# same URLs. CLOUDFLARE_ZONE_ID with CLOUDFLARE_BEARER_TOKEN uses Cloudflare's API instead.
WAGTAILFRONTENDCACHE = {}
if env_str("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["default"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env_str("FRONTEND_CACHE_PURGE_URL"),
    }
if env_str("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env_str("CLOUDFLARE_ZONE_ID"),
        "BEARER_TOKEN": env_str("CLOUDFLARE_BEARER_TOKEN"),
    }

# Every password check reserves an attempt with the throttle first (core.login_throttle).
AUTHENTICATION_BACKENDS = ["core.login_throttle.ThrottledModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: the site is Chinese and lives in Zhengzhou.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"

MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Documents (any of them may be in a restricted collection) live outside MEDIA_ROOT, where no web
# server looks, and are only ever streamed by Wagtail's serve view (core/storage.py).
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
if PRIVATE_MEDIA_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PRIVATE_MEDIA_ROOT must not be inside MEDIA_ROOT (it is public).")

# Django serves uploads only in development and tests; production uses the web server or S3.
SERVE_MEDIA_FILES = False

STORAGES = {
    "default": {"BACKEND": "core.storage.PrivateDocumentsFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# S3-compatible object storage for uploads (images, documents, audio and video), shared by every
# app server: set S3_BUCKET (and S3_ENDPOINT_URL for MinIO, Ceph, OSS or COS, plus the keys).
# Documents are still served through Wagtail's serve view, which checks privacy first and then
# streams the file from the bucket; the bucket itself need not be public for them.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "core.s3_storage.PrivateDocumentsS3Storage",
        "OPTIONS": {
            # Documents: a prefix beside the public one, never public, streamed by the serve view.
            "private_location": env_str("S3_PRIVATE_LOCATION", "private"),
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "region_name": env_str("S3_REGION") or None,
            "custom_domain": env_str("S3_CUSTOM_DOMAIN") or None,
            "location": env_str("S3_LOCATION", "media"),
            "file_overwrite": False,
            # Signed URLs by default, so a private bucket works; a public bucket behind a CDN sets
            # S3_SIGNED_URLS=0 and S3_CUSTOM_DOMAIN for stable, cacheable image URLs.
            "querystring_auth": env_bool("S3_SIGNED_URLS", True),
        },
    }

# Complex page forms (StreamFields, inline rows) exceed Django's default of 1,000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_SUBJECT_PREFIX = "[郑州终身学习网] "
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@zzlearning.example")

# Wagtail
WAGTAIL_SITE_NAME = "郑州终身学习网"
# The scheme and host the public reaches the site at: every absolute URL the site emits (.ics
# files, the sitemap, JSON-LD, feeds, e-mails, share tags, the API's links) is built on it
# (core.public_urls), never on the Wagtail Site record's hostname. Production derives it from
# ALLOWED_HOSTS when unset and `manage.py check` refuses a local one there (core.checks).
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
PUBLIC_BASE_URL_REQUIRED = False
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", PUBLIC_BASE_URL)
WAGTAILAPI_BASE_URL = PUBLIC_BASE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# The admin in Chinese throughout: Zhengzhou's one time zone, and the default local avatar
# (Gravatar is blocked by the CSP and unreachable in mainland China). The project's own catalog
# (locale/zh_Hans) completes Wagtail's; scripts/compile_translations.py builds its .mo files.
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Search: the database by default (SQLite FTS5, or PostgreSQL with the language-neutral "simple"
# configuration: no English stemming or stop words, which would eat pinyin such as "he" or "a").
# Chinese is segmented into bigrams by core.segmentation on both sides, so neither needs a plugin.
# With SEARCH_URL set, pages index into Elasticsearch 8, whose built-in `cjk` analyzer bigrams Han
# text too. OpenSearch is not offered: its client (opensearch-py) imports a top-level package named
# `events` (PyPI's Events), which this project's `events` app shadows, so it cannot load here.
# tests/search/test_search.py builds every backend offered.
SEARCH_URL = env_str("SEARCH_URL")
SEARCH_BACKENDS_BY_NAME = {
    "elasticsearch": "wagtail.search.backends.elasticsearch8",
}
if SEARCH_URL:
    _search_backend = env_str("SEARCH_BACKEND", "elasticsearch").lower()
    if _search_backend not in SEARCH_BACKENDS_BY_NAME:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"SEARCH_BACKEND must be one of {', '.join(SEARCH_BACKENDS_BY_NAME)}, "
            f"got {_search_backend!r}"
        )
    # SEARCH_ANALYZER: `cjk` (built in, overlapping bigrams), or `ik_max_word` / `smartcn` when
    # the IK or smartcn plugin is installed on the cluster.
    _search_analyzer = env_str("SEARCH_ANALYZER", "cjk")
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": SEARCH_BACKENDS_BY_NAME[_search_backend],
            "URLS": env_list("SEARCH_URL"),
            "INDEX_PREFIX": env_str("SEARCH_INDEX_PREFIX", "zzsite_"),
            "TIMEOUT": env_int("SEARCH_TIMEOUT", 5),
            "OPTIONS": {},
            "INDEX_SETTINGS": {
                "settings": {
                    "analysis": {
                        "analyzer": {
                            # Every text field without an analyzer of its own uses this one.
                            "default": {"type": _search_analyzer},
                        }
                    }
                }
            },
        }
    }
else:
    # Wagtail's database backend; on SQLite, search.backends ranks by relevance in linear time.
    WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "search.backends", "SEARCH_CONFIG": "simple"},
    }

# Uploads: allow-lists and size limits. SVG is never accepted (it can carry script).
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("IMAGE_MAX_UPLOAD_MB", 10) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Turns Pillow's decompression-bomb error (images far beyond the limit) into the same refusal.
WAGTAILIMAGES_IMAGE_FORM_BASE = "learning_resources.forms.ImageUploadForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "pptx", "xlsx", "vtt", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("DOCUMENT_MAX_UPLOAD_MB", 50) * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Caption files must reach <track> as text/vtt and inline; everything else stays an attachment.
WAGTAILDOCS_CONTENT_TYPES = {"vtt": "text/vtt"}
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/vtt"]
# Refuses HTML/SVG whatever the allow-list says and checks WebVTT captions on upload.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "learning_resources.forms.DocumentUploadForm"

# Audio and video (wagtailmedia): allow-listed formats a browser plays natively, size limit.
WAGTAILMEDIA = {
    "MEDIA_MODEL": "wagtailmedia.Media",
    # Upload checks (learning_resources.forms) and the duration read from the file.
    "MEDIA_FORM_BASE": "learning_resources.media_duration.MediaForm",
    "AUDIO_EXTENSIONS": ["mp3", "m4a", "ogg"],
    "VIDEO_EXTENSIONS": ["mp4", "webm"],
}
AUDIO_VIDEO_MAX_UPLOAD_SIZE = env_int("AUDIO_VIDEO_MAX_UPLOAD_MB", 500) * 1024 * 1024

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A refused form (expired token, cookies off) answers a Chinese page in the site layout.
CSRF_FAILURE_VIEW = "zzsite.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Django logs the path of every 4xx/5xx answer; sign-up status paths carry a private token.
    "filters": {"redact_signup_tokens": {"()": "signups.log_filters.RedactSignupTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_signup_tokens"]}
    },
    "loggers": {
        "django.request": {"filters": ["redact_signup_tokens"]},
        "django.server": {"filters": ["redact_signup_tokens"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
# Read-only API (/api/v2/): at most this many items per request; more is a 400, not a slow query.
WAGTAILAPI_LIMIT_MAX = 50
WAGTAILAPI_SEARCH_ENABLED = True
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

CALENDAR_UID_DOMAIN = env_str("CALENDAR_UID_DOMAIN", "zzlearning.zhengzhou")

# Sign-up (signups app). E-mail goes out only where a delivering backend is configured;
# SIGNUP_EMAIL=1/0 overrides the guess (e.g. an MTA on localhost).
SIGNUP_EMAIL_ENABLED = env_bool("SIGNUP_EMAIL") if env_str("SIGNUP_EMAIL") else None
# At most SIGNUP_RATE_LIMIT sign-up or cancel attempts per client address per window.
SIGNUP_RATE_LIMIT = env_int("SIGNUP_RATE_LIMIT", 10)
SIGNUP_RATE_WINDOW = env_int("SIGNUP_RATE_WINDOW", 600)
# The client address for every limiter (core.client_address, docs/deploy.md): behind N proxies
# that each append to X-Forwarded-For, TRUSTED_PROXY_HOPS=N takes the N-th entry from the right;
# 0: REMOTE_ADDR. Alternatively (used only with 0 hops), SIGNUP_CLIENT_IP_HEADER names the
# request.META key of a header the proxy overwrites with the client address (HTTP_X_REAL_IP).
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
SIGNUP_CLIENT_IP_HEADER = env_str("SIGNUP_CLIENT_IP_HEADER")

# Security headers (core.security): the Content-Security-Policy allows embedded players from these
# origins in page bodies (EmbedBlock), e.g. "https://player.bilibili.com,https://v.qq.com".
CSP_FRAME_SRC = env_list("CSP_FRAME_SRC")
# Origins of live streams (HLS, .m3u8) that lecture pages play in their own player.
CSP_MEDIA_SRC = env_list("CSP_MEDIA_SRC")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# /.well-known/security.txt (RFC 9116): where to report a vulnerability.
SECURITY_CONTACTS = env_list("SECURITY_CONTACTS", ["mailto:security@zzlearning.example"])
SECURITY_POLICY_URL = env_str("SECURITY_POLICY_URL")

# Password guesses (core.login_throttle: admin and front-end login, password reset requests, page
# and document passwords): spaced out after SLOW_AFTER attempts, refused for LOCK_SECONDS after
# LOCK_AFTER attempts on one account (ADDRESS_LOCK_AFTER from one address).
LOGIN_THROTTLE = {
    "SLOW_AFTER": env_int("LOGIN_SLOW_AFTER", 3),
    "LOCK_AFTER": env_int("LOGIN_LOCK_AFTER", 10),
    "ADDRESS_LOCK_AFTER": env_int("LOGIN_ADDRESS_LOCK_AFTER", 30),
    "LOCK_SECONDS": env_int("LOGIN_LOCK_SECONDS", 15 * 60),
    "MAX_DELAY_SECONDS": 60,
}
