"""Query helpers shared by every listing on the site."""

from django.db.models import Q

from core.page_cache import MENU_KEY, RESTRICTIONS_KEY, depend_on, depend_on_listing, kept
from core.view_restrictions import restricted_paths


def public_only(pages):
    """Like Wagtail's ``PageQuerySet.public()``: pages under no view restriction.

    ``public()`` loads every view restriction with a query each time it is called; this reads
    them from the cache (a page is private when a restricted page's path is a prefix of its own).
    """
    # A restriction added anywhere changes what every listing may show, also the listings of
    # other types under the restricted page: they all depend on it.
    depend_on(RESTRICTIONS_KEY)
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
    # Bumped whenever the home page or one of its children changes (core.cache_invalidation).
    depend_on(MENU_KEY)
    if not hasattr(request, "_top_level_pages"):
        from wagtail.models import Site

        site = Site.find_for_request(request)

        def build():
            depend_on(MENU_KEY)
            return list(live_public(site.root_page.get_children(), listing=False))

        request._top_level_pages = (
            kept(f"top-level-pages|{site.pk}", build) if site is not None else []
        )
    return request._top_level_pages


def remember_top_level_pages(request, pages):
    """For a page that loaded the site root's live, public children with a query of its own."""
    depend_on(MENU_KEY)
    request._top_level_pages = list(pages)


def in_key_order(queryset, keys) -> list:
    """The rows of ``queryset`` with these primary keys, in the order of ``keys`` (one query;
    a key whose row is gone or filtered out is left out). Sorted here: an ORDER BY makes Django
    hash every selected column to match it against the select list, which costs more than the
    query over a page of rows."""
    keys = list(keys)
    if not keys:
        return []
    found = {row.pk: row for row in queryset.filter(pk__in=keys).order_by()}
    return [found[key] for key in keys if key in found]
