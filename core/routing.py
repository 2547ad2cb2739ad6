"""Routing a page request below a site's root page in two queries, with Wagtail's semantics.

Wagtail's ``Page.route`` loads each URL level with two queries (the child by slug, then its
specific row). ``route_in_one_query`` loads the whole chain at once and walks it as Wagtail
would; ``core.middleware.SiteRoutingMiddleware`` calls it for every page request, and a root
page type may hand its own ``route()`` back to it (flagged ``routes_in_one_query``).
"""

from __future__ import annotations

from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from core.page_cache import depend_on_page, kept
from core.view_restrictions import no_view_restrictions, restricted_paths


def _overrides_route(page_class) -> bool:
    """Whether a page type routes in a way of its own (beyond RoutablePageMixin's sub-routes)."""
    if page_class is None:
        return True
    if getattr(page_class.route, "routes_in_one_query", False):
        return False  # it hands back to route_in_one_query (HomePage)
    return page_class.route not in (Page.route, RoutablePageMixin.route)


def _matches_sub_route(page_class, path_components) -> bool:
    if not issubclass(page_class, RoutablePageMixin):
        return False
    sub_path = "/" + "".join(f"{component}/" for component in path_components)
    try:
        page_class.get_resolver().resolve(sub_path)
    except Http404:
        return False
    return True


def _load_for_serving(page):
    """The specific page with the relations its template shows.

    Kept (core.page_cache.kept) until the page or a page above it changes, or something it
    shows (a person, an image, a document: their changes reach the pages naming them): the
    detail queries of a course or a lecture (its sessions, teachers, tags, documents) cost
    4–6 ms to build and run, a kept copy 0.2 ms to read. The data is a fresh copy of the live
    rows; what moves with time (a course's status) is still worked out from it on each view.
    """
    page_class = page.specific_class
    if page_class is None or isinstance(page, page_class):
        return page
    if hasattr(page_class, "detail_queryset"):

        def load():
            depend_on_page(page)
            return page_class.detail_queryset().get(pk=page.pk)

        return kept(f"serving|{page.pk}", load)
    return page.specific


def route_in_one_query(root, request, path_components):
    """Route ``path_components`` below ``root`` as ``Page.route`` does, in two queries.

    ``root`` may be a plain ``Page`` (the site's root page as ``Site`` loads it). One query
    loads every page whose URL path is a prefix of the requested one: the chain from ``root``
    down to the deepest existing page, each flagged with whether a view restriction applies to
    it. A second loads the page to serve with its detail relations. Wagtail walks the chain
    level by level, letting a routable page answer with a sub-route before its children are
    looked at; the walk below does the same from the chain already in memory, so sub-routes
    (``ics/``, ``near/``, ``lessons/3/``), drafts (404 when requested, yet their live children
    are served) and unknown slugs (404) behave exactly as before.
    """
    prefixes = [
        root.url_path + "".join(f"{component}/" for component in path_components[:length])
        for length in range(1, len(path_components) + 1)
    ]
    if not path_components and no_view_restrictions.get():
        # The site's root page itself, and no restriction anywhere: the Site query had it all.
        served = _load_for_serving(root)
        served.routed_under_restriction = False
        served.routed_ancestors = []
        if getattr(type(served).route, "routes_in_one_query", False):
            return Page.route(served, request, [])
        return served.route(request, [])
    chain = list(
        Page.objects.filter(
            # slug is indexed; url_path is not, so the slug filter keeps this an index lookup.
            slug__in={root.slug, *path_components},
            url_path__in=[root.url_path, *prefixes],
            path__startswith=root.path,
            depth__gte=root.depth,
        ).order_by("depth")
    )
    if not chain or chain[0].pk != root.pk:
        raise Http404
    # Whether a restriction applies: on the page itself or above it, found by path from the
    # handful of restricted paths every listing reads (no subquery to build per request).
    restricted = restricted_paths()
    for page in chain:
        page.under_restriction = any(page.path.startswith(path) for path in restricted)

    ancestors = []
    for page in chain:
        remaining = path_components[page.depth - root.depth :]
        page_class = page.specific_class
        is_deepest = page is chain[-1]
        hands_over = _overrides_route(page_class) or (
            page.live and remaining and _matches_sub_route(page_class, remaining)
        )
        if is_deepest or hands_over:
            served = _load_for_serving(page)
            served.routed_under_restriction = page.under_restriction
            if ancestors:
                served._cached_parent_obj = ancestors[-1]
            # The breadcrumbs show these; they came with the chain, so no further query.
            served.routed_ancestors = ancestors
            if getattr(type(served).route, "routes_in_one_query", False):
                # Its route() would come back here; the chain shows it has no such child.
                if remaining:
                    raise Http404
                return Page.route(served, request, remaining)
            return served.route(request, remaining)
        ancestors = [*ancestors, page]
    raise Http404  # unreachable: the loop returns at the deepest page
