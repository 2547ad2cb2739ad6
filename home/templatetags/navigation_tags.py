from django import template
from wagtail.models import Page, Site

from home.queries import top_level_pages

register = template.Library()


# The menu lists the home page's children: depth 3 (the root is 1, the home page 2).
MENU_PAGE_DEPTH = 3


@register.filter
def menu_section(page) -> str:
    """The treebeard path of the menu item ``page`` is under ("" for none): what the header
    varies with, as ``main_nav`` marks that item as the current one."""
    path = getattr(page, "path", "") or ""
    length = Page.steplen * MENU_PAGE_DEPTH
    return path[:length] if len(path) >= length else ""


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context):
    """The home page's live, public children that editors marked 'show in menus'."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"menu_pages": [], "home_url": "/"}
    current = context.get("page")
    current_path = current.path if current is not None else ""
    menu_pages = [
        {"page": page, "active": bool(current_path) and current_path.startswith(page.path)}
        for page in top_level_pages(request)
        if page.show_in_menus
    ]
    return {"menu_pages": menu_pages, "home_url": site.root_page.url}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Ancestors from the home page down, for pages below the home page."""
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"ancestors": [], "page": page}
    # Routing already loaded the ancestors (core.routing.route_in_one_query).
    ancestors = getattr(page, "routed_ancestors", None)
    if ancestors is None:
        ancestors = page.get_ancestors().filter(depth__gte=2)
    else:
        ancestors = [ancestor for ancestor in ancestors if ancestor.depth >= 2]
    return {"ancestors": ancestors, "page": page}


@register.inclusion_tag("home/quick_links.html", takes_context=True)
def home_quick_links(context):
    """Large entry tiles to each section: easier to hit on a phone than the header menu."""
    return main_nav(context)
