"""Which pages are under a view restriction: the facts routing and every listing start from.

A site has a handful of restricted pages at most; their tree paths are read once and cached
until a restriction changes (``core.cache_invalidation``), and a request whose Site query found
no restriction at all (``core.middleware``) skips even the cache lookup.
"""

import contextvars

from django.core.cache import cache
from django.db import transaction
from wagtail.models import PageViewRestriction

RESTRICTED_PATHS_KEY = "queries:restricted-paths"

# Set for a request whose Site query found no view restriction at all (core.middleware), so
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
