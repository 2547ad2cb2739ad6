"""Page sections that higher apps contribute without the lower app importing them.

An app registers a function under a section hook (``home_page_sections`` for the home page;
other apps define their own, e.g. ``school_page_sections``) that returns one ``Section``
(or a list of them). The page asks each for its context; a section with nothing to show
returns ``None`` and is left out, so the page never shows an empty box.

Which sections a page shows, and in what order, is the page's own list of section names
(``key``): ``HomePage.SECTIONS``, ``SchoolPage.SECTIONS``, next to the hook they name
(``SECTIONS_HOOK``). A registered section whose name is not listed comes last (and
``manage.py check`` warns, home.W201); a listed name no app registers is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core import checks
from django.db.models import Case, Q, Value, When
from django.template.loader import render_to_string
from wagtail import hooks

from core.page_cache import Fragment

from .cards import batched_card_prefetches, prefetch_card_data

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from django.db.models import QuerySet
    from django.http import HttpRequest
    from wagtail.models import Page

HOOK_NAME = "home_page_sections"


@dataclass
class Section:
    """A block of a page (home page, school page, …). Subclasses decide what it shows.

    ``key`` is the section's name: the page's ``SECTIONS`` list places it by this name, and
    the templates use it as the box's id (``section-<key>``).
    """

    key: str
    title: str
    template: str
    more_url: Callable[[HttpRequest], str | None] | None = None

    def get_context(
        self, page: Page, request: HttpRequest, pinned: Sequence[Page]
    ) -> dict[str, Any] | None:
        raise NotImplementedError

    def render_context(self, page, request, pinned):
        context = self.get_context(page, request, pinned)
        if context is None:
            return None
        more = self.more_url(request) if self.more_url else None
        return {"section": self, "more_url": more, **context}


@dataclass
class PageListSection(Section):
    """The section's newest pages, up to ``limit``, with those the editor pinned first.

    ``newest(page, request)`` is every page the section may show, in the section's order; a
    pinned page of the section's types goes first (in the editor's order) when it is among them:
    a pinned event that is over leaves 近期活动 like any other. ``pinnable(page, request)``, when
    given, is the wider list a pin may bring in (a course already running, on 精选课程): the
    same card data and annotations as ``newest``, without its narrowing. One query, pinned or not.
    """

    page_types: tuple[type[Page], ...] = ()
    newest: Callable[[Page, HttpRequest], QuerySet] | None = None
    pinnable: Callable[[Page, HttpRequest], QuerySet] | None = None
    limit: int = 4
    extra: dict[str, Any] = field(default_factory=dict)

    def get_context(self, page, request, pinned):
        if self.newest is None:
            return None
        items = self.newest(page, request)
        chosen = pinned_ids(pinned, self.page_types)
        if chosen:
            ordering = items.query.order_by or items.model._meta.ordering
            if self.pinnable is not None:
                items = self.pinnable(page, request).filter(
                    Q(pk__in=chosen) | Q(pk__in=items.order_by().values("pk"))
                )
            items = items.annotate(
                pin_rank=Case(
                    *(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(chosen)),
                    default=Value(len(chosen)),
                )
            ).order_by("pin_rank", *ordering)
        items = list(items[: self.limit])
        if not items:
            return None
        return {"items": items, **self.extra}


def pinned_ids(pinned, page_types) -> list[int]:
    """Ids of the pinned pages (plain ``Page`` rows or specific ones) of ``page_types``."""
    return [
        pin.pk
        for pin in pinned
        if pin.specific_class is not None and issubclass(pin.specific_class, page_types)
    ]


def index_page_url(model) -> Callable[[HttpRequest], str | None]:
    """A section's "查看全部" link: the live, public index page of ``model``, if there is one."""
    from django.contrib.contenttypes.models import ContentType

    from .queries import live_public, top_level_pages

    def more_url(request):
        # Index pages sit under the home page: look among the pages the menu loaded already.
        content_type_id = ContentType.objects.get_for_model(model).pk
        index = next(
            (page for page in top_level_pages(request) if page.content_type_id == content_type_id),
            None,
        )
        if index is None and list(model.parent_page_types or ()) != ["home.HomePage"]:
            index = live_public(model.objects.all()).first()
        return index.get_url(request) if index else None

    return more_url


def registered_sections(
    hook_name: str = HOOK_NAME, names: Sequence[str] | None = None
) -> list[Section]:
    """The sections registered under ``hook_name``, placed in the order of ``names``.

    Sections whose name is not in ``names`` follow, in the order the hooks were registered;
    a name no section has is skipped. Without ``names``, the registration order.
    """
    sections: list[Section] = []
    for hook in hooks.get_hooks(hook_name):
        result = hook()
        if result is None:
            continue
        sections.extend(result if isinstance(result, list | tuple) else [result])
    if names is None:
        return sections
    listed = [section for name in names for section in sections if section.key == name]
    return listed + [section for section in sections if section.key not in names]


def build_sections(
    page,
    request,
    pinned=(),
    hook_name: str = HOOK_NAME,
    extra_images=(),
    extra_specs=(),
    names: Sequence[str] | None = None,
) -> list[str]:
    """The HTML of each registered section that has something to show, in ``names`` order.

    Each section is a fragment (``core.page_cache.Fragment``): reused from the cache until what
    it shows changes. The sections built anew get their cards' renditions and occurrences in
    one query each, however many there are (see home.cards); ``extra_images`` (e.g. the page's
    own hero image, in ``extra_specs``) join the same renditions query.
    """
    pins = ",".join(str(pin.pk) for pin in pinned)
    parts = [
        (section, Fragment(request, f"{hook_name}|{page.pk}|{section.key}|{pins}"))
        for section in registered_sections(hook_name, names)
    ]
    contexts = {}
    with batched_card_prefetches():
        for section, fragment in parts:
            if fragment.html is None:
                with fragment.building():
                    contexts[section.key] = section.render_context(page, request, pinned)
    prefetch_card_data(
        [item for context in contexts.values() if context for item in context.get("items", ())],
        extra_images=[image for image in extra_images if image is not None],
        extra_specs=extra_specs,
    )

    def render(section):
        context = contexts[section.key]
        if context is None:
            return ""
        return render_to_string(section.template, {"section": context, "page": page}, request)

    html = [fragment.get_or_build(partial(render, section)) for section, fragment in parts]
    return [part for part in html if part]


@checks.register()
def check_section_names(app_configs=None, **kwargs):
    """Every registered section is named in the ``SECTIONS`` of the page that shows it.

    An unlisted section still shows (last); the warning says where to place it.
    """
    from wagtail.models import get_page_models

    warnings = []
    seen = set()
    for model in get_page_models():
        hook_name = getattr(model, "SECTIONS_HOOK", None)
        names = getattr(model, "SECTIONS", None)
        if hook_name is None or names is None or (hook_name, tuple(names)) in seen:
            continue
        seen.add((hook_name, tuple(names)))
        for section in registered_sections(hook_name):
            if section.key not in names:
                warnings.append(
                    checks.Warning(
                        f"The {hook_name} section {section.key!r} is not named in "
                        f"{model.__name__}.SECTIONS: it is shown after the listed ones.",
                        hint=f"Add {section.key!r} to {model.__name__}.SECTIONS where it belongs.",
                        obj=model,
                        id="home.W201",
                    )
                )
    return warnings
