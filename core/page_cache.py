"""The page cache: whole responses for anonymous GETs, invalidated exactly by what they show.

While a response is rendered, the code that reads content says what it depends on
(``depend_on``): the page served and its ancestors (``path:<treebeard path>``, so a change to a
section reaches every page below it), each kind of listing it shows (``list:<app.model>``), the
menu, the site-wide settings. A stored response keeps the generation of each of those keys as it
was when it was rendered. A change to content bumps the generations of the keys it affects
(``core.cache_invalidation``), and a stored response whose recorded generations are no longer
current is a miss: exactly the pages that showed the changed thing are re-rendered, the rest keep
being served from the cache.

Generations, entries and the URL lists used for CDN purges all live in Django's default cache,
so every app server and worker sharing that cache (Redis in production) shares invalidation.

Never cached, never served from the cache: requests carrying a session cookie (logged-in users,
anyone with a session), anything but GET, the admin, documents (their view checks privacy),
previews, responses that set a cookie, used a CSRF token, are private or not 200, and streaming
responses.
"""

import contextlib
import contextvars
import functools
import hashlib
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)

ENTRY_PREFIX = "pc:entry:"
GENERATION_PREFIX = "pc:gen:"
URLS_PREFIX = "pc:urls:"
FRAGMENT_PREFIX = "pc:fragment:"
DATA_PREFIX = "pc:data:"

# Every response depends on the site-wide key; one that names nothing more depends on any change.
SITE_KEY = "site"
MENU_KEY = "menu"
ANY_CHANGE_KEY = "any"
ALL_LISTINGS_KEY = "list:*"
# Bumped when any view restriction is added, changed or removed (whether any exists at all).
RESTRICTIONS_KEY = "restrictions"

CACHEABLE_CONTENT_TYPES = (
    "text/html",
    "application/rss+xml",
    "application/atom+xml",
    "text/calendar",
    "application/json",
    "application/geo+json",
)
# Headers that belong to one exchange, not to the stored page.
# ("Vary: Cookie" stays: a CDN must not give this anonymous copy to a logged-in editor.)
UNSTORED_HEADERS = {"set-cookie", "x-page-cache", "date"}

# Query parameters that share buttons, WeChat and campaign links add and no page reads. They are
# removed from the request before anything sees it, so the cache key and the rendered page agree:
# ``/?utm_source=x1`` … ``x150`` are one entry, not 150 renders. A deny list rather than an
# allow list: a page's own new parameter can never be silently dropped. ``from`` is the calendar's
# start date, so only WeChat's own values of it are dropped; any other value (a mistyped date)
# reaches the calendar, which answers it with its Chinese 400.
TRACKING_PARAMETERS = {
    "isappinstalled", "nsukey", "spm", "scene", "clicktime", "enterid", "wxshare_count",
    "fbclid", "gclid", "msclkid", "yclid", "mc_cid", "mc_eid", "chksm", "mpshare", "srcid",
    "ascene", "devicetype", "pass_ticket", "wx_header", "from_source", "fromuid",
}  # fmt: skip
TRACKING_PREFIXES = ("utm_", "share_", "sharer_", "wxshare_")
WECHAT_FROM_VALUES = {"singlemessage", "groupmessage", "timeline", "message", "androidqq"}


def is_tracking_parameter(name: str, value: str) -> bool:
    name = name.lower()
    if name == "from":
        return value.lower() in WECHAT_FROM_VALUES
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def strip_tracking_parameters(request) -> None:
    """Drop tracking parameters from ``request`` (its query string and ``GET``) in place."""
    from urllib.parse import parse_qsl, urlencode

    from django.http import QueryDict

    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return
    pairs = parse_qsl(raw, keep_blank_values=True)
    kept = [(name, value) for name, value in pairs if not is_tracking_parameter(name, value)]
    if len(kept) == len(pairs):
        return
    query_string = urlencode(kept)
    request.META["QUERY_STRING"] = query_string
    request.GET = QueryDict(query_string, encoding=request.encoding)


_dependencies = contextvars.ContextVar("page_cache_dependencies", default=None)


# --- what a response depends on --------------------------------------------------------------


class _Dependencies:
    """The keys a response being rendered depends on, with their generations when first named.

    Reading the generation when the key is named, before the content behind it is read, means a
    change that lands while the page renders leaves the stored response already out of date
    rather than wrongly current.
    """

    def __init__(self, parent=None):
        self.generations = {}
        self.failed = False
        # A fragment's keys are also the keys of the response it is part of.
        self.parent = parent

    def add(self, keys):
        if self.parent is not None:
            self.parent.add(keys)
        new = [key for key in keys if key not in self.generations]
        if not new or self.failed:
            return
        try:
            self.generations.update(_current_generations(new))
        except Exception:
            logger.warning("page cache unavailable while rendering", exc_info=True)
            self.failed = True

    def add_current(self, generations):
        """Keys whose generations were just read and found current (a reused fragment's):
        recorded without reading them again."""
        if self.parent is not None:
            self.parent.add_current(generations)
        for key, generation in generations.items():
            self.generations.setdefault(key, generation)

    def stored(self):
        """The generations to keep with an entry (``ANY_CHANGE_KEY`` only if nothing was named)."""
        generations = dict(self.generations)
        if len(generations) > 2:
            # It named what it shows; without that, any change at all makes it stale.
            generations.pop(ANY_CHANGE_KEY, None)
        return generations


def depend_on(*keys):
    """Record that the response being rendered shows content behind these keys."""
    collected = _dependencies.get()
    if collected is not None:
        collected.add(keys)


def listing_key(model):
    """The key of "a listing of this page type": bumped when any page of the type changes."""
    from wagtail.models import Page

    if model is Page or model._meta.abstract:
        return ALL_LISTINGS_KEY
    return f"list:{model._meta.label_lower}"


def depend_on_listing(*models):
    depend_on(*(listing_key(model) for model in models))


def path_keys(treebeard_path):
    """The page and each of its ancestors, from its treebeard path (no query needed)."""
    from wagtail.models import Page

    step = Page.steplen
    return [f"path:{treebeard_path[:end]}" for end in range(step, len(treebeard_path) + 1, step)]


def depend_on_page(page):
    depend_on(*path_keys(page.path))


def children_key(treebeard_path):
    return f"children:{treebeard_path}"


def depend_on_children(page):
    """The response lists this page's children (of any type)."""
    depend_on(children_key(page.path))


# --- generations -----------------------------------------------------------------------------


def _new_generation():
    return uuid.uuid4().hex[:12]


def bump(*keys):
    """Invalidate every stored response that depends on any of these keys.

    Once now and once more when the change is committed: a request rendered in between, from the
    database as it was before the commit, must not stay cached under the new generation.
    """
    keys = {key for key in keys if key}
    if not keys:
        return
    _set_new_generations(keys)
    transaction.on_commit(lambda: _set_new_generations(keys))
    _purge_frontend_cache(keys)


def _set_new_generations(keys):
    cache.set_many({GENERATION_PREFIX + key: _new_generation() for key in keys}, timeout=None)


def _current_generations(keys):
    """The generation of each key, creating the missing ones.

    A stored response never records "no generation": a key evicted from the cache after a bump
    would otherwise read as missing again and revive responses rendered before the bump.
    """
    cache_keys = [GENERATION_PREFIX + key for key in keys]
    found = cache.get_many(cache_keys)
    missing = {key: _new_generation() for key in cache_keys if key not in found}
    for key, generation in missing.items():
        # add() keeps a generation another process created meanwhile.
        if not cache.add(key, generation, timeout=None):
            missing[key] = cache.get(key, generation)
    found.update(missing)
    return {key[len(GENERATION_PREFIX) :]: found[key] for key in cache_keys}


def current_generation(key):
    """The generation of one key now: a value that changes whenever ``bump`` names the key.

    For caches of derived data outside the page cache (the search's title vocabulary and
    synonyms): keyed by this, they refresh on the same changes as the pages that show them.
    """
    return _current_generations([key])[key]


# --- CDN purges ------------------------------------------------------------------------------


def frontend_cache_enabled():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _remember_urls(keys, url):
    """Note which URLs depend on each key, so a bump can purge the same set from the CDN."""
    limit = settings.PAGE_CACHE_PURGE_URLS_PER_KEY
    for key in keys:
        urls = cache.get(URLS_PREFIX + key) or []
        if url in urls:
            continue
        urls = [*urls, url][-limit:]
        cache.set(URLS_PREFIX + key, urls, timeout=None)


def urls_depending_on(keys):
    urls = set()
    for found in cache.get_many([URLS_PREFIX + key for key in keys]).values():
        urls.update(found)
    return sorted(urls)


def _purge_frontend_cache(keys):
    if not frontend_cache_enabled():
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    urls = urls_depending_on(keys)
    if urls:
        batch = PurgeBatch()
        batch.add_urls(urls)
        batch.purge()


# --- fragments --------------------------------------------------------------------------------


class _KeptPart:
    """An entry kept like a page-cache entry: valid while every key named while it was built is
    at the generation it was built under (for at most ``PAGE_CACHE_SECONDS``, which bounds what
    time alone changes, as for whole pages). The keys a reused entry depended on are named again
    for the response around it, so the page cache invalidates that response exactly as if the
    entry had been built during it. ``key`` None: nothing is read nor stored."""

    def __init__(self, key):
        self.key = key
        self.found = False
        self.value = None
        self._collected = None
        if key is None:
            return
        try:
            entry = cache.get(key)
            if (
                entry is not None
                and _current_generations(entry["generations"]) == entry["generations"]
            ):
                collected = _dependencies.get()
                if collected is not None:
                    collected.add_current(entry["generations"])
                self.value = entry["value"]
                self.found = True
        except Exception:  # the cache server being down must not take the page with it
            logger.warning("page cache unavailable on fragment read", exc_info=True)
            self.key = None

    @contextlib.contextmanager
    def building(self):
        """Record what the code in the block names (also for the response around it)."""
        if self.key is None:  # nothing will be stored: the response around it records alone
            yield
            return
        if self._collected is None:
            self._collected = _Dependencies(parent=_dependencies.get())
            self._collected.add([SITE_KEY, ANY_CHANGE_KEY])
        token = _dependencies.set(self._collected)
        try:
            yield
        finally:
            _dependencies.reset(token)

    def store(self, value):
        self.value = value
        if self.key is None or self._collected is None or self._collected.failed:
            return
        try:
            entry = {"generations": self._collected.stored(), "value": value}
            cache.set(self.key, entry, timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("page cache unavailable on fragment write", exc_info=True)


def _kept_key(prefix, name):
    return prefix + hashlib.sha256(f"{code_version()}|{name}".encode()).hexdigest()


class Fragment(_KeptPart):
    """A part of a page kept in the cache like a page-cache entry (see ``_KeptPart``).

    For the parts that are the same for every visitor and cost the most to build (the header
    and footer, through ``{% fragment %}`` in core/templatetags/fragment_tags.py; the home
    page's and school pages' sections, home.sections): a page rendered outside the page cache
    (an editor's visit, a URL nobody asked for in five minutes, the first visit after a
    publish) rebuilds only the parts whose content changed. ``name`` says everything the part
    varies with (which page, which part, the editor's pins); the host is added here.

        html = Fragment(request, name).get_or_build(render)  # what render() names is recorded

    or, to build several missing fragments' data together before rendering each (the sections'
    cards in one query), ``fragment.html is None``, ``with fragment.building(): …``, then
    ``fragment.store(html)``.

    Never for previews (a draft for one editor) nor with ``FRAGMENT_CACHE_ENABLED`` off (then
    ``html`` is always None and ``store`` keeps nothing).
    """

    def __init__(self, request, name):
        key = None
        if (
            settings.FRAGMENT_CACHE_ENABLED
            and request is not None
            and not getattr(request, "is_preview", False)
            and not getattr(request, "is_dummy", False)
        ):
            try:
                key = _kept_key(FRAGMENT_PREFIX, f"{request.scheme}://{request.get_host()}|{name}")
            except DisallowedHost:
                key = None
        super().__init__(key)

    @property
    def html(self):
        return None if self.value is None else mark_safe(self.value)  # HTML store() was given

    def store(self, html):
        super().store(str(html))

    def get_or_build(self, build):
        """The stored HTML, or ``build()``'s, recorded and stored."""
        if self.html is None:
            with self.building():
                html = build()
            self.store(html)
        return self.html


def kept(name, build, *, site_wide=False):
    """``build()``'s value, shared by every request until a key it named moves.

    For data many pages read and few changes touch, whose queries cost more to build and
    compile than to run: the Sites (core.middleware), the districts (schools.directory), the
    menu's pages, a filter's vocabulary and tag cloud. The value is pickled into the cache and
    read back fresh, so a request may change what it got. Only for data read from live rows: a
    preview's draft never enters it. ``site_wide``: the data is the site-wide vocabulary, which
    bumps ``SITE_KEY`` and nothing narrower (else a value that names no key of its own goes stale
    on any change). With ``FRAGMENT_CACHE_ENABLED`` off (the tests' query budgets), always built.
    """
    if not settings.FRAGMENT_CACHE_ENABLED:
        return build()
    part = _KeptPart(_kept_key(DATA_PREFIX, name))
    if part.found:
        return part.value
    with part.building():
        value = build()
    if site_wide and part._collected is not None:
        part._collected.generations.pop(ANY_CHANGE_KEY, None)
    part.store(value)
    return value


def kept_many(wanted, build):
    """``kept`` for many values read and built together: ``wanted`` maps each key to its name
    and the page-cache keys of what it shows (``(name, keys)``); ``build(missing)`` returns
    ``{key: value}`` for the keys not kept, in one batch (one query per type, not per value).

    Two cache round trips for all of them. Each value is kept with the generations its keys
    had before it was built, so a change landing meanwhile leaves it stale rather than wrongly
    current; the response around names them all. A key ``build`` leaves out is absent from the
    result. With ``FRAGMENT_CACHE_ENABLED`` off, everything is built.
    """
    if not settings.FRAGMENT_CACHE_ENABLED or not wanted:
        return build(list(wanted))
    cache_keys = {key: _kept_key(DATA_PREFIX, name) for key, (name, _keys) in wanted.items()}
    try:
        entries = cache.get_many(list(cache_keys.values()))
        named = {SITE_KEY}
        for _name, keys in wanted.values():
            named.update(keys)
        for entry in entries.values():
            named.update(entry["generations"])
        current = _current_generations(list(named))
    except Exception:  # the cache server being down must not take the page with it
        logger.warning("page cache unavailable on kept read", exc_info=True)
        return build(list(wanted))
    found, missing, shown = {}, [], {}
    collected = _dependencies.get()
    for key, cache_key in cache_keys.items():
        shown[key] = {name: current[name] for name in (SITE_KEY, *wanted[key][1])}
        entry = entries.get(cache_key)
        stored_generations = entry["generations"] if entry is not None else {}
        if stored_generations and all(
            current.get(name) == value for name, value in stored_generations.items()
        ):
            found[key] = entry["value"]
        else:
            missing.append(key)
        if collected is not None:
            collected.add_current(shown[key])
    if missing:
        built = build(missing)
        stored = {
            cache_keys[key]: {"generations": shown[key], "value": value}
            for key, value in built.items()
        }
        try:
            cache.set_many(stored, timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("page cache unavailable on kept write", exc_info=True)
        found.update(built)
    return found


# --- the middleware --------------------------------------------------------------------------


@functools.cache
def code_version():
    """A digest of the project's code, templates and static files, computed once per process.

    Part of every entry's key: a release that changes how pages render never serves pages
    rendered by the previous one, and servers of both releases can run side by side while a
    deploy rolls.
    """
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    skipped = ("var", "media", "staticfiles", "tests", "node_modules", "test-artifacts")
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name.startswith(".") or folder.name in skipped:
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html", ".css", ".js"}:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _entry_key(request):
    raw = f"{code_version()}|{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def request_is_cacheable(request):
    if not settings.PAGE_CACHE_ENABLED or request.method != "GET":
        return False
    if getattr(request, "is_dummy", False):  # a Wagtail preview: a draft, for one editor
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return False
    return not request.path_info.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PATHS))


def response_is_storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(request, "is_preview", False):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type in CACHEABLE_CONTENT_TYPES


class PageCacheMiddleware:
    """Serve anonymous GETs from the page cache; store what is safe to share.

    Placed right after WhiteNoise, so a hit costs no more of the stack than a static file.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not request.path_info.startswith(
            tuple(settings.PAGE_CACHE_EXCLUDED_PATHS)
        ):
            strip_tracking_parameters(request)
        if not request_is_cacheable(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                # A logged-in editor's copy (userbar, previews) is theirs alone; never reuse it.
                if not response.has_header("Cache-Control"):
                    patch_cache_control(response, no_cache=True)
                patch_cache_control(response, private=True)
            return response
        try:
            key = _entry_key(request)
        except DisallowedHost:
            return self.get_response(request)

        cached = self._fetch(key)
        if cached is not None:
            return cached

        collected = _Dependencies()
        collected.add([SITE_KEY, ANY_CHANGE_KEY])
        token = _dependencies.set(collected)
        try:
            response = self.get_response(request)
        finally:
            _dependencies.reset(token)

        if not collected.failed and response_is_storable(request, response):
            self._store(key, request, response, collected)
        elif response.status_code == 200 and not response.has_header("Cache-Control"):
            # Shared with nobody: a CDN must not keep what this visitor was given.
            patch_cache_control(response, private=True)
        return response

    def _fetch(self, key):
        try:
            entry = cache.get(key)
            if entry is None:
                return None
            if _current_generations(entry["generations"]) != entry["generations"]:
                return None
        except Exception:  # the cache server being down must not take the site with it
            logger.warning("page cache unavailable on read", exc_info=True)
            return None
        response = HttpResponse(entry["content"], status=entry["status"])
        for header, value in entry["headers"]:
            response[header] = value
        response["X-Page-Cache"] = "hit"
        return response

    def _store(self, key, request, response, collected):
        generations = collected.stored()
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_BROWSER_SECONDS,
            s_maxage=settings.PAGE_CACHE_CDN_SECONDS,
        )
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in UNSTORED_HEADERS
        ]
        try:
            entry = {
                "generations": generations,
                "status": response.status_code,
                "headers": headers,
                "content": response.content,
            }
            cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
            if frontend_cache_enabled():
                _remember_urls(generations, request.build_absolute_uri())
        except Exception:
            logger.warning("page cache unavailable on write", exc_info=True)
            return
        response["X-Page-Cache"] = "miss"
