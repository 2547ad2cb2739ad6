"""Everything that carries a tag, across every app, found without a hard-coded model list."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from taggit.managers import TaggableManager
from taggit.models import Tag
from wagtail.models import get_page_models

from core.page_cache import kept
from home.cards import batched_card_prefetches, prefetch_card_data
from home.filters import is_plausible_value
from home.queries import in_key_order, live_public

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
    """The tag's live, public pages, grouped by type, newest first.

    Which pages carry the tag is kept (core.page_cache.kept) until a listing of a taggable type
    changes: a later request loads only the types that have any, by primary key, without the
    tag join and the privacy filter, which cost more to compile than the cards' own query.
    """
    built = {}

    def find_tagged_pages():
        built["groups"] = [
            group
            for model in taggable_page_models()
            if (group := _tagged_group(model, live_public(model.objects.all()).filter(tags=tag)))
        ]
        return [
            (group.model._meta.label, [item.pk for item in group.items], group.truncated)
            for group in built["groups"]
        ]

    found = kept(f"tagged-pages:{tag.pk}", find_tagged_pages)
    if "groups" in built:
        groups = built["groups"]
    else:
        groups = []
        for label, pks, truncated in found:
            model = apps.get_model(label)
            # live(): a page unpublished a moment ago is not shown while the keys catch up.
            group = _tagged_group(model, model.objects.live().filter(pk__in=pks), pks, truncated)
            if group:
                groups.append(group)
    prefetch_card_data([item for group in groups for item in group.items])
    return groups


def _in_tag_page_order(model, queryset):
    """Newest first; dated pages (events, lectures) by their time (``in_time_order``), worked
    out when the keys are kept, not on every view."""
    in_time_order = getattr(model, "in_time_order", None)
    if in_time_order is not None:
        return in_time_order(queryset)
    return queryset.order_by("-first_published_at", "-pk")


def _tagged_group(model, queryset, order=None, truncated=None) -> TaggedGroup | None:
    """The cards of one type, newest first, or in ``order`` (primary keys) when given."""
    # Page models name what their cards need; see ResourcePage.with_card_data. The
    # renditions and occurrences of every group's cards come in one query each (above).
    with_card_data = getattr(model, "with_card_data", None)
    with batched_card_prefetches():
        queryset = with_card_data(queryset) if with_card_data else queryset.defer_streamfields()
    if order is None:
        items = list(_in_tag_page_order(model, queryset)[: MAX_ITEMS_PER_TYPE + 1])
    else:
        items = in_key_order(queryset, order)
    if not items:
        return None
    return TaggedGroup(
        model=model,
        label=str(model._meta.verbose_name_plural),
        items=items[:MAX_ITEMS_PER_TYPE],
        truncated=len(items) > MAX_ITEMS_PER_TYPE if truncated is None else truncated,
    )
