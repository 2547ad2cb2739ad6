"""What every page model of the site shares to keep a page view's SQL flat.

Wagtail's defaults cost queries that grow with the depth of a page: routing loads each URL
level with two queries (the child by slug, then its specific row), and the view-restriction
check loads the ancestors and then their restrictions. ``SitePageMixin`` and
``core.routing.route_in_one_query`` do the same work in a fixed number of queries, with Wagtail's
semantics.
"""

from __future__ import annotations

from wagtail.models import Page, PageViewRestriction


class SitePageMixin:
    """Mixed into every page model of the site, before ``Page``.

    ``detail_select_related`` / ``detail_prefetch_related`` name the relations the page's own
    template shows; routing loads the served page through ``detail_queryset()`` so they arrive
    with the page instead of one query each while rendering.
    """

    detail_select_related: tuple[str, ...] = ()
    detail_prefetch_related: tuple = ()

    def get_full_url(self, request=None):
        """The page on the public host (``PUBLIC_BASE_URL``), never the Site record's hostname.

        Wagtail builds full URLs from the Site's root URL (``http://localhost`` in the demo);
        the sitemap, JSON-LD and calendar files go through this instead.
        """
        from core.public_urls import page_public_url

        return page_public_url(self, request)

    full_url = property(get_full_url)

    @classmethod
    def detail_queryset(cls):
        queryset = cls.objects.all()
        if cls.detail_select_related:
            queryset = queryset.select_related(*cls.detail_select_related)
        if cls.detail_prefetch_related:
            queryset = queryset.prefetch_related(*cls.detail_prefetch_related)
        return queryset

    def get_view_restrictions(self):
        """The restrictions on this page and its ancestors, in one query.

        Wagtail's version first loads the ancestors (to resolve aliases), then their
        restrictions. An ancestor's path is a prefix of this page's path, so the restrictions
        are found by path directly. Aliases take their source page's restrictions, so they
        keep Wagtail's implementation.
        """
        if self.alias_of_id:
            return super().get_view_restrictions()
        if getattr(self, "routed_under_restriction", None) is False:
            # Routing found no restriction on this page or above it (same request).
            return PageViewRestriction.objects.none()
        ancestor_paths = [
            self.path[:end] for end in range(Page.steplen, len(self.path) + 1, Page.steplen)
        ]
        return PageViewRestriction.objects.filter(page__path__in=ancestor_paths)
