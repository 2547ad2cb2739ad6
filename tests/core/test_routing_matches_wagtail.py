"""The site's routing (core.middleware + core.routing.route_in_one_query) answers every URL of the
demo exactly as Wagtail's own level-by-level ``Page.route()`` walk does.

Wagtail's ``serve`` view routes with ``Site.find_for_request(request).root_page.specific.route()``.
The home page's ``route()`` hands back to ``route_in_one_query``, so the reference walk below
starts with ``Page.route`` on the root page itself; every level under it is Wagtail's own code
(``Page.route`` and ``RoutablePageMixin.route``). Both must find the same specific page with the
same args/kwargs (sub-route view and its arguments), or both a 404, and the page's view
restrictions must decide the same way for the same visitor.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.http import Http404, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.test import RequestFactory
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site

from core.middleware import SiteRoutingMiddleware
from core.view_restrictions import no_view_restrictions

# --- the two ways of routing a request ---------------------------------------------------------


def make_request(url, user=None, passed_restrictions=()):
    request = RequestFactory().get(url, HTTP_HOST="localhost")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    if passed_restrictions:
        request.session[PageViewRestriction.passed_view_restrictions_session_key] = list(
            passed_restrictions
        )
    return request


def components_of(url):
    return [component for component in url.split("?")[0].split("/") if component]


def describe(route_result, request):
    """What a route decided, comparable across the two routings (or None for a 404)."""
    if route_result is None:
        return None
    page, args, kwargs = route_result
    args = list(args)
    if isinstance(page, RoutablePageMixin) and args and callable(args[0]):
        view, view_args, view_kwargs = args
        args = [view.__name__, list(view_args), dict(view_kwargs)]
        match = getattr(request, "routable_resolver_match", None)
        args.append(match.url_name if match is not None else None)
    return {
        "page": (type(page), page.pk),
        "args": args,
        "kwargs": dict(kwargs),
        "restriction": restriction_outcome(page, request, route_result),
    }


def restriction_outcome(page, request, route_result):
    """What Wagtail's view-restriction check (an ``on_serve_page`` hook) answers this visitor."""
    restrictions = sorted(
        (restriction.pk, restriction.restriction_type, restriction.accept_request(request))
        for restriction in page.get_view_restrictions()
    )

    def serve(page, request, args, kwargs):
        return HttpResponse("served")

    chain = serve
    for hook in reversed(hooks.get_hooks("on_serve_page")):
        chain = hook(chain)
    response = chain(page, request, route_result.args, route_result.kwargs)
    if isinstance(response, SimpleTemplateResponse):
        answer = ("form", response.status_code, response.template_name)
    else:
        answer = (response.status_code, response.get("Location"), response.content)
    return restrictions, answer


def route_as_the_site_does(url, **visitor):
    """Through SiteRoutingMiddleware, as a page request is routed in production."""
    request = make_request(url, **visitor)
    middleware = SiteRoutingMiddleware(lambda request: HttpResponse())
    path = "".join(f"{component}/" for component in components_of(url))
    try:
        middleware.process_view(request, wagtail_views.serve, (), {"path": path})
        assert hasattr(request, "_wagtail_route_for_request"), "the middleware did not route"
        return describe(request._wagtail_route_for_request, request)
    finally:
        token = getattr(request, "_no_view_restrictions_token", None)
        if token is not None:
            no_view_restrictions.reset(token)


def route_as_wagtail_does(url, **visitor):
    """Wagtail's own walk: one level at a time, each page's own ``route()``."""
    request = make_request(url, **visitor)
    root = Site.find_for_request(request).root_page.specific
    route = type(root).route
    if getattr(route, "routes_in_one_query", False):
        route = Page.route  # the home page would hand back to route_in_one_query
    try:
        result = route(root, request, components_of(url))
    except Http404:
        result = None
    return describe(result, request)


def compare(urls, **visitor):
    """The URLs the two routings answer differently, and the site's answer for each URL."""
    mismatched, answers = [], {}
    for url in urls:
        ours, wagtails = (
            route_as_the_site_does(url, **visitor),
            route_as_wagtail_does(url, **visitor),
        )
        answers[url] = ours
        if ours != wagtails:
            mismatched.append((url, ours, wagtails))
    return mismatched, answers


# --- the URLs ------------------------------------------------------------------------------------


def site_root():
    return Site.objects.get(is_default_site=True).root_page


def live_urls():
    root = site_root()
    pages = Page.objects.live().descendant_of(root, inclusive=True).order_by("path")
    return ["/" + page.url_path[len(root.url_path) :] for page in pages]


def sample_sub_paths(route_string):
    """Concrete sub-paths for a RoutablePageMixin route like ``lessons/<int:number>/``."""
    samples = []
    for value_int, value_str in (("1", "a"), ("2", "zz"), ("999", "nope")):
        sample = re.sub(r"<int:\w+>", value_int, route_string)
        sample = re.sub(r"<(?:str|slug):\w+>", value_str, sample)
        sample = re.sub(r"<\w+>", value_str, sample)
        samples.append(sample)
    return sorted(set(samples))


def sub_route_urls():
    root = site_root()
    urls = []
    for page in Page.objects.live().descendant_of(root).specific().order_by("path"):
        if not isinstance(page, RoutablePageMixin):
            continue
        base = "/" + page.url_path[len(root.url_path) :]
        for pattern in page.get_subpage_urls():
            route_string = str(pattern.pattern)
            for sample in sample_sub_paths(route_string):
                urls.append(base + sample)
                urls.append(base + sample + "junk/")
    return urls


def test_every_live_demo_page_routes_as_in_wagtail(demo):
    urls = live_urls()
    assert len(urls) > 20, "the demo should have a site's worth of pages"

    mismatched, answers = compare(urls)
    assert mismatched == []
    # Not vacuous: every live page is found (by both).
    assert [url for url, answer in answers.items() if answer is None] == []


def test_sub_routes_route_as_in_wagtail(demo):
    urls = sub_route_urls()
    for wanted in ("ics/", "lessons/1/"):
        assert any(url.endswith(wanted) for url in urls), f"no demo page has a {wanted} route"

    mismatched, answers = compare(urls)
    assert mismatched == []
    answered = [url for url, answer in answers.items() if (answer or {}).get("args")]
    assert any(url.endswith("/ics/") for url in answered)
    assert any(url.endswith("/lessons/1/") for url in answered)


def test_broken_urls_route_as_in_wagtail(demo):
    urls = [
        "/nope/",
        "/courses/nope/",
        "/nope/deeper/still/",
        "/tags/nope/",
        "/calendar/ics/nope/",
        "/forum/ics/nope/",
    ]
    urls += [url + "nope/" for url in live_urls()]

    mismatched, answers = compare(urls)
    assert mismatched == []
    assert answers["/nope/"] is None


def test_a_draft_404s_and_its_live_children_still_route_as_in_wagtail(demo):
    root = site_root()
    draft = (
        Page.objects.live()
        .descendant_of(root)
        .filter(depth__gt=root.depth + 1, numchild__gt=0)
        .order_by("path")
        .first()
    )
    assert draft is not None
    child = draft.get_children().live().first()
    assert child is not None
    draft.specific.unpublish()
    draft_url = "/" + draft.url_path[len(root.url_path) :]
    child_url = "/" + child.url_path[len(root.url_path) :]

    below = [url for url in live_urls() if url.startswith(draft_url)]
    mismatched, answers = compare([draft_url, draft_url + "nope/", *below])
    assert mismatched == []
    assert answers[draft_url] is None
    assert answers[child_url] is not None


def test_private_pages_route_and_restrict_as_in_wagtail(demo):
    root = site_root()
    sections = list(Page.objects.live().child_of(root).filter(numchild__gt=0).order_by("path"))
    assert len(sections) >= 2
    password_section, login_section = sections[0], sections[1]
    password = PageViewRestriction.objects.create(
        page=password_section, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    PageViewRestriction.objects.create(
        page=login_section, restriction_type=PageViewRestriction.LOGIN
    )
    urls = [
        url
        for url in live_urls() + sub_route_urls()
        if url.startswith(tuple("/" + page.url_path[len(root.url_path) :] for page in sections[:2]))
    ]
    urls += ["/", "/nope/", *(url + "nope/" for url in urls[:20])]
    editor = get_user_model().objects.create_user("routing-visitor", password="x")

    for visitor in ({}, {"user": editor}, {"passed_restrictions": [password.pk]}):
        assert compare(urls, **visitor)[0] == [], visitor

    # The restriction applies (both ways): the anonymous visitor gets the password form.
    section_url = "/" + password_section.url_path[len(root.url_path) :]
    outcome = route_as_the_site_does(section_url)["restriction"]
    assert outcome[0] == [(password.pk, PageViewRestriction.PASSWORD, False)]
    assert outcome[1][0] == "form"
    login_url = "/" + login_section.url_path[len(root.url_path) :]
    assert route_as_the_site_does(login_url)["restriction"][1][0] == 302
    assert route_as_the_site_does(login_url, user=editor)["restriction"][1][2] == b"served"
