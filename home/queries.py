"""Query helpers shared by every listing on the site."""

import contextvars

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from wagtail.models import PageViewRestriction

from home.page_cache import MENU_KEY, depend_on, depend_on_listing

RESTRICTED_PATHS_KEY = "queries:restricted-paths"

# Set for a request whose Site query found no view restriction at all (home.middleware), so
# listings skip even the cache lookup.
no_view_restrictions = contextvars.ContextVar("no_view_restrictions", default=False)


def restricted_paths():
    """Tree paths of the pages with a view restriction, cached until a restriction changes.

    A handful of rows at most; reading them once and filtering by path prefix keeps every listing
    query free of a subquery (and each call free of building one).
    """
    if no_view_restrictions.get():
        return []
    paths = cache.get(RESTRICTED_PATHS_KEY)
    if paths is None:
        paths = sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True)))
        cache.set(RESTRICTED_PATHS_KEY, paths, timeout=None)
    return paths


def forget_restricted_paths():
    cache.delete(RESTRICTED_PATHS_KEY)
    # Again once the change is committed: a request in between may have cached the old list.
    transaction.on_commit(lambda: cache.delete(RESTRICTED_PATHS_KEY))


def public_only(pages):
    """Like Wagtail's ``PageQuerySet.public()``: pages under no view restriction.

    ``public()`` loads every view restriction with a query each time it is called; this reads
    them from the cache (a page is private when a restricted page's path is a prefix of its own).
    """
    paths = restricted_paths()
    if not paths:
        return pages
    under_restriction = Q()
    for path in paths:
        under_restriction |= Q(path__startswith=path)
    return pages.exclude(under_restriction)


def live_public(pages, listing=True, types=()):
    """Published pages outside any private section: what a visitor may see in a listing.

    The response being rendered then depends on every page of the queryset's type (or of
    ``types``, for a generic ``Page`` queryset narrowed with ``.type()``), for the page cache;
    pass ``listing=False`` where the caller names a narrower dependency itself.
    """
    if types:
        depend_on_listing(*types)
    elif listing:
        depend_on_listing(pages.model)
    return public_only(pages.live())


def top_level_pages(request):
    """The live, public children of the request's site root, loaded once per request.

    The header menu, the home page's quick links and every section's 查看全部 link read them.
    """
    if request is None:
        return []
    # Bumped whenever the home page or one of its children changes (home.cache_invalidation).
    depend_on(MENU_KEY)
    if not hasattr(request, "_top_level_pages"):
        from wagtail.models import Site

        site = Site.find_for_request(request)
        request._top_level_pages = (
            list(live_public(site.root_page.get_children(), listing=False))
            if site is not None
            else []
        )
    return request._top_level_pages


def remember_top_level_pages(request, pages):
    """For a page that loaded the site root's live, public children with a query of its own."""
    depend_on(MENU_KEY)
    request._top_level_pages = list(pages)
