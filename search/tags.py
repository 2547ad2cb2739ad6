"""Everything that carries a tag, across every app, found without a hard-coded model list."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from taggit.managers import TaggableManager
from taggit.models import Tag
from wagtail.models import get_page_models

from home.cards import batched_card_prefetches, prefetch_card_data
from home.filters import is_plausible_value
from home.queries import live_public

# A tag page is a browsing aid, not an archive: past this, the type's own index takes over.
MAX_ITEMS_PER_TYPE = 60


def taggable_page_models() -> list[type]:
    """Every concrete page model that declares its own ``tags`` manager (a subclass that
    inherits it through multi-table inheritance is already listed under its parent)."""
    found = []
    for model in get_page_models():
        if model._meta.abstract:
            continue
        try:
            field = model._meta.get_field("tags")
        except FieldDoesNotExist:
            continue
        if isinstance(field, TaggableManager) and field.model is model:
            found.append(model)
    return found


def find_tag(value: str) -> Tag | None:
    """By slug (taggit keeps Chinese in slugs), then by exact name for hand-typed URLs."""
    value = value.strip()
    if not value or not is_plausible_value(value):
        return None
    return Tag.objects.filter(slug=value).first() or Tag.objects.filter(name=value).first()


@dataclass
class TaggedGroup:
    model: type
    label: str
    items: list
    truncated: bool


def tagged_pages_by_type(tag: Tag) -> list[TaggedGroup]:
    groups = []
    for model in taggable_page_models():
        queryset = live_public(model.objects.all()).filter(tags=tag)
        # Page models name what their cards need; see ResourcePage.with_card_data. The
        # renditions and occurrences of every group's cards come in one query each, below.
        with_card_data = getattr(model, "with_card_data", None)
        with batched_card_prefetches():
            queryset = with_card_data(queryset) if with_card_data else queryset.defer_streamfields()
        items = list(queryset.order_by("-first_published_at", "-pk")[: MAX_ITEMS_PER_TYPE + 1])
        if items:
            groups.append(
                TaggedGroup(
                    model=model,
                    label=str(model._meta.verbose_name_plural),
                    items=items[:MAX_ITEMS_PER_TYPE],
                    truncated=len(items) > MAX_ITEMS_PER_TYPE,
                )
            )
    prefetch_card_data([item for group in groups for item in group.items])
    return groups
