"""Query helpers shared by every listing on the site."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction


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


def live_public(pages):
    """Published pages outside any private section: what a visitor may see in a listing."""
    return public_only(pages.live())


def top_level_pages(request):
    """The live, public children of the request's site root, loaded once per request.

    The header menu, the home page's quick links and every section's 查看全部 link read them.
    """
    if request is None:
        return []
    if not hasattr(request, "_top_level_pages"):
        from wagtail.models import Site

        site = Site.find_for_request(request)
        request._top_level_pages = (
            list(live_public(site.root_page.get_children())) if site is not None else []
        )
    return request._top_level_pages
