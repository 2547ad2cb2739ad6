"""Home-page sections that other apps contribute without `home` importing them.

An app registers a function under the ``home_page_sections`` hook that returns one
``HomeSection`` (or a list of them). The home page asks each for its context; a section
with nothing to show returns ``None`` and is left out, so the page never shows an empty box.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wagtail import hooks

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from django.db.models import QuerySet
    from django.http import HttpRequest
    from wagtail.models import Page

HOOK_NAME = "home_page_sections"


@dataclass
class HomeSection:
    """A block of the home page. Subclasses decide what it shows."""

    key: str
    title: str
    template: str
    order: int = 100
    more_url: Callable[[HttpRequest], str | None] | None = None

    def get_context(
        self, home_page: Page, request: HttpRequest, pinned: Sequence[Page]
    ) -> dict[str, Any] | None:
        raise NotImplementedError

    def render_context(self, home_page, request, pinned):
        context = self.get_context(home_page, request, pinned)
        if context is None:
            return None
        more = self.more_url(request) if self.more_url else None
        return {"section": self, "more_url": more, **context}


@dataclass
class PageListSection(HomeSection):
    """Pinned pages of the section's types first, then the newest ones, up to ``limit``."""

    page_types: tuple[type[Page], ...] = ()
    newest: Callable[[HttpRequest], QuerySet] | None = None
    limit: int = 4
    extra: dict[str, Any] = field(default_factory=dict)

    def get_context(self, home_page, request, pinned):
        chosen = [page for page in pinned if isinstance(page, self.page_types)][: self.limit]
        items = list(chosen)
        room = self.limit - len(items)
        if room > 0 and self.newest is not None:
            exclude_ids = [page.pk for page in chosen]
            items.extend(self.newest(request).exclude(pk__in=exclude_ids)[:room])
        if not items:
            return None
        return {"items": items, **self.extra}


def registered_sections() -> list[HomeSection]:
    sections: list[HomeSection] = []
    for hook in hooks.get_hooks(HOOK_NAME):
        result = hook()
        if result is None:
            continue
        sections.extend(result if isinstance(result, list | tuple) else [result])
    return sorted(sections, key=lambda section: section.order)


def build_home_sections(home_page, request, pinned) -> list[dict[str, Any]]:
    rendered = (
        section.render_context(home_page, request, pinned) for section in registered_sections()
    )
    return [context for context in rendered if context is not None]
