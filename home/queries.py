"""Query helpers shared by every listing on the site."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction

from home.page_cache import depend_on_listing


def public_only(pages):
    """Like Wagtail's ``PageQuerySet.public()``, without the extra query.

    ``public()`` first loads every view restriction to build its filter, one query each time it
    is called; this excludes pages under a restriction in the same SQL statement instead (a page
    is private when a restricted page's path is a prefix of its own).
    """
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.exclude(Exists(restricted))


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
