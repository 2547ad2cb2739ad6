"""Page sections that higher apps contribute without the lower app importing them.

An app registers a function under a section hook (``home_page_sections`` for the home page;
other apps define their own, e.g. ``school_page_sections``) that returns one ``Section``
(or a list of them). The page asks each for its context; a section with nothing to show
returns ``None`` and is left out, so the page never shows an empty box.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wagtail import hooks

from .cards import batched_card_prefetches, prefetch_card_data

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from django.db.models import QuerySet
    from django.http import HttpRequest
    from wagtail.models import Page

HOOK_NAME = "home_page_sections"


@dataclass
class Section:
    """A block of a page (home page, school page, …). Subclasses decide what it shows."""

    key: str
    title: str
    template: str
    order: int = 100
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
    """Pinned pages of the section's types first, then the newest ones, up to ``limit``."""

    page_types: tuple[type[Page], ...] = ()
    newest: Callable[[Page, HttpRequest], QuerySet] | None = None
    limit: int = 4
    extra: dict[str, Any] = field(default_factory=dict)

    def get_context(self, page, request, pinned):
        chosen = [pin for pin in pinned if isinstance(pin, self.page_types)][: self.limit]
        items = list(chosen)
        room = self.limit - len(items)
        if room > 0 and self.newest is not None:
            exclude_ids = [pin.pk for pin in chosen]
            items.extend(self.newest(page, request).exclude(pk__in=exclude_ids)[:room])
        if not items:
            return None
        return {"items": items, **self.extra}


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


def registered_sections(hook_name: str = HOOK_NAME) -> list[Section]:
    sections: list[Section] = []
    for hook in hooks.get_hooks(hook_name):
        result = hook()
        if result is None:
            continue
        sections.extend(result if isinstance(result, list | tuple) else [result])
    return sorted(sections, key=lambda section: section.order)


def build_sections(
    page, request, pinned=(), hook_name: str = HOOK_NAME, extra_images=(), extra_specs=()
) -> list[dict[str, Any]]:
    """Context for each registered section that has something to show, in order.

    The cards of all sections get their renditions and occurrences in one query each (see
    home.cards); ``extra_images`` (e.g. the page's own hero image, in ``extra_specs``) join
    the same renditions query.
    """
    with batched_card_prefetches():
        rendered = [
            section.render_context(page, request, pinned)
            for section in registered_sections(hook_name)
        ]
    contexts = [context for context in rendered if context is not None]
    prefetch_card_data(
        [item for context in contexts for item in context.get("items", ())],
        extra_images=[image for image in extra_images if image is not None],
        extra_specs=extra_specs,
    )
    return contexts
