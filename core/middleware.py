"""Find the Site and route the page of a request in as few queries as Wagtail's answers allow.

Wagtail answers "which Site is this?" with one query, builds the site root paths that every
page URL needs with another, and routes a page by first loading the site's root page as its
specific type. ``SiteRoutingMiddleware`` loads every Site once (a site has a handful), answers
both questions from that list with Wagtail's own matching rules, and routes page requests from
the root page as loaded (``core.routing.route_in_one_query``). The site's settings (网站信息, the model
``SITE_SETTINGS_MODEL`` names) come joined to the Site row. It stores the answers where
Wagtail looks for them first (``request._wagtail_site``, ``request._wagtail_cached_site_root_paths``,
``request._wagtail_route_for_request``), so everything downstream is Wagtail's own code.
"""

from __future__ import annotations

from functools import cache as once

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists
from django.http import Http404
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import PageViewRestriction, Site
from wagtail.models.sites import (
    SITE_ROOT_PATHS_CACHE_KEY,
    SITE_ROOT_PATHS_CACHE_VERSION,
    SiteRootPath,
)

from core.page_cache import RESTRICTIONS_KEY, depend_on, depend_on_page, kept
from core.routing import route_in_one_query
from core.view_restrictions import no_view_restrictions

# The admin finds its own way; static and media files need no Site at all.
VIEWS_WITHOUT_SITE = ("wagtail.admin", "django.views.static", "django.contrib.staticfiles")


@once
def site_settings_model():
    """The per-site settings model joined to each Site (a content app's, so named by setting)."""
    label = getattr(settings, "SITE_SETTINGS_MODEL", "")
    return apps.get_model(label) if label else None


def site_settings_relation():
    """The Site's reverse one-to-one name for that model (``sitesettings``), or None."""
    model = site_settings_model()
    return model._meta.get_field("site").related_query_name() if model is not None else None


def load_sites():
    """Every Site with its root page and settings, and whether any page has a view restriction
    (one query), for ``kept``: the Sites and their settings bump the site-wide key; the root
    pages and the restrictions are named here."""
    related = ["root_page", "root_page__locale"]
    if site_settings_relation():
        related.append(site_settings_relation())
    sites = list(
        Site.objects.select_related(*related).annotate(
            any_view_restriction=Exists(PageViewRestriction.objects.all())
        )
    )
    depend_on(RESTRICTIONS_KEY)
    for site in sites:
        depend_on_page(site.root_page)
    return sites


def choose_site(sites, hostname, port):
    """The Site Wagtail's ``get_site_for_hostname`` would choose from ``sites``, or None."""
    matches = [site for site in sites if site.hostname == hostname or site.is_default_site]

    def rank(site):
        if site.hostname == hostname and site.port == port:
            return 0
        if site.hostname == hostname and site.is_default_site:
            return 1
        return 2 if site.is_default_site else 3

    matches.sort(key=rank)
    if not matches:
        return None
    if len(matches) == 1 or rank(matches[0]) in (0, 1):
        return matches[0]
    if rank(matches[0]) == 2:
        # The default site, unless exactly one other site matches the hostname.
        return matches[len(matches) == 2]
    return None


def site_root_paths(sites):
    """``Site.get_site_root_paths()`` computed from ``sites`` (i18n off: one root per site)."""
    ordered = sorted(sites, key=lambda site: site.hostname)
    ordered.sort(key=lambda site: site.is_default_site, reverse=True)
    ordered.sort(key=lambda site: site.root_page.url_path, reverse=True)
    return [
        SiteRootPath(
            site.id, site.root_page.url_path, site.root_url, site.root_page.locale.language_code
        )
        for site in ordered
    ]


class SiteRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_no_view_restrictions_token", None)
            if token is not None:
                no_view_restrictions.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False) or hasattr(request, "_wagtail_site"):
            return None  # translated trees route per locale: leave it all to Wagtail
        if getattr(view_func, "__module__", "").startswith(VIEWS_WITHOUT_SITE):
            return None
        sites = kept("sites", load_sites)
        if sites and not sites[0].any_view_restriction:
            request._no_view_restrictions_token = no_view_restrictions.set(True)
        hostname = split_domain_port(request._get_raw_host())[0]
        site = choose_site(sites, hostname, request.get_port())
        request._wagtail_site = site
        self.remember_site_settings(request, site)
        root_paths = cache.get(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)
        if root_paths is None:
            root_paths = site_root_paths(sites)
            cache.set(
                SITE_ROOT_PATHS_CACHE_KEY,
                root_paths,
                3600,
                version=SITE_ROOT_PATHS_CACHE_VERSION,
            )
        request._wagtail_cached_site_root_paths = [SiteRootPath(*path) for path in root_paths]

        if view_func is wagtail_views.serve and site is not None:
            path = view_kwargs.get("path", view_args[0] if view_args else "")
            components = [component for component in path.split("/") if component]
            try:
                request._wagtail_route_for_request = route_in_one_query(
                    site.root_page, request, components
                )
            except Http404:
                request._wagtail_route_for_request = None
        return None

    @staticmethod
    def remember_site_settings(request, site):
        """The site's 网站信息 came with the Site row: keep it where ``for_request`` looks."""
        model = site_settings_model()
        if site is None or model is None:
            return
        try:
            site_settings = getattr(site, site_settings_relation())
        except model.DoesNotExist:
            return  # SiteSettings.for_request creates it
        site_settings._request = request
        setattr(request, model.get_cache_attr_name(), site_settings)
