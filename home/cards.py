"""What cards (``includes/page_card.html``) need, loaded in a fixed number of queries.

A listing's ``with_card_data(queryset)`` joins the card image (``select_related``) and adds
``card_prefetches()``: the image's card rendition and, for dated pages, their occurrences, one
query each for the whole listing. A page made of several listings (the home page, a school
page) gathers them inside ``batched_card_prefetches()``, which leaves those two lookups out of
each listing, then calls ``prefetch_card_data()`` once for every card on the page: one query
for all renditions, one for all occurrences, however many sections there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images import get_image_model

from core.page_cache import kept
from home.queries import in_key_order

# includes/page_card.html: one width for the grid on wide screens, twice it for phones, where a
# card spans the screen at two or three device pixels per CSS pixel.
CARD_RENDITION = "fill-480x270|format-webp"
CARD_RENDITION_WIDE = "fill-960x540|format-webp"
CARD_RENDITIONS = (CARD_RENDITION, CARD_RENDITION_WIDE)

_batching: ContextVar[bool] = ContextVar("batched_card_prefetches", default=False)


# Open Graph / WeChat share picture (home_tags.share_meta); pages prefetch it with their own.
SHARE_RENDITION = "fill-1200x630|format-jpeg"


def card_renditions(*filter_specs: str):
    specs = filter_specs or CARD_RENDITIONS
    return get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)


def card_prefetches(
    image_field: str | None, *, occurrences: bool = False, per_type: Iterable = ()
) -> list:
    """Prefetch lookups for a listing's cards (none inside ``batched_card_prefetches()``).

    ``per_type`` are lookups of the page type's own (speakers, audiences); in a batch they come
    from the type's ``card_batch_prefetches()``, one query per type for all its cards.
    """
    if _batching.get():
        return []
    lookups: list = []
    if image_field:
        lookups.append(
            Prefetch(
                f"{image_field}__renditions",
                queryset=card_renditions(),
                to_attr="prefetched_renditions",
            )
        )
    if occurrences:
        lookups.append("occurrences")
    lookups.extend(per_type)
    return lookups


@contextmanager
def batched_card_prefetches():
    token = _batching.set(True)
    try:
        yield
    finally:
        _batching.reset(token)


def prefetch_card_data(pages: Iterable, extra_images: Iterable = (), extra_specs=()) -> None:
    """Renditions of every card image (and ``extra_images``), occurrences, and each page type's
    ``card_batch_prefetches()``: one query each, however many lists the cards came from."""
    pages = [page for page in pages if page is not None]
    prefetch_renditions(
        [*(getattr(page, "card_image", None) for page in pages), *filter(None, extra_images)],
        *CARD_RENDITIONS,
        *extra_specs,
    )

    dated = [
        page
        for page in pages
        if getattr(page, "card_needs_occurrences", False)
        and "occurrences" not in getattr(page, "_prefetched_objects_cache", {})
    ]
    if dated:
        prefetch_related_objects(dated, "occurrences")

    by_type: dict[type, list] = {}
    for page in pages:
        by_type.setdefault(type(page), []).append(page)
    for page_type, same_type in by_type.items():
        lookups = getattr(page_type, "card_batch_prefetches", lambda: [])()
        if lookups:
            prefetch_related_objects(same_type, *lookups)


def prefetch_renditions(images: Iterable, *filter_specs: str) -> None:
    """Renditions ``filter_specs`` of every image in ``images``, one query for all of them.

    For a detail page's own images (cover, speaker photos, gallery): Wagtail then finds each
    rendition on the image instead of asking the database once per image.
    """
    # Every page's share picture (home_tags.share_meta) is one of its own images: fetch its
    # rendition with the others rather than with a query of its own.
    filter_specs = (*filter_specs, SHARE_RENDITION)
    pending = {}
    for image in images:
        if image is not None and not hasattr(image, "prefetched_renditions"):
            pending.setdefault(image.pk, []).append(image)
    if not pending:
        return
    by_image = {}
    for rendition in card_renditions(*filter_specs).filter(image_id__in=list(pending)):
        # As Django's own prefetch would: a rendition knows its image ({% srcset_image %} asks).
        rendition.image = pending[rendition.image_id][0]
        by_image.setdefault(rendition.image_id, []).append(rendition)
    for image_id, same_images in pending.items():
        for image in same_images:
            image.prefetched_renditions = list(by_image.get(image_id, []))


def kept_cards(name: str, model, find) -> list:
    """The cards ``find()`` returns (``model`` pages with their card data, in order), kept as
    their primary keys until a key named while finding them moves (``core.page_cache.kept``).
    Another request loads the same pages by key, in the same order, in one plain query instead
    of the ranking one; only live ones: a page unpublished a moment ago is left out while the
    keys catch up. Card data as ``find`` would load it (inside ``batched_card_prefetches()``
    too)."""
    built = {}

    def find_keys():
        built["pages"] = list(find())
        return [page.pk for page in built["pages"]]

    keys = kept(name, find_keys)
    if "pages" in built:
        return built["pages"]
    return cards_by_key(model, keys)


def cards_by_key(model, keys: list) -> list:
    """The live ``model`` pages with these primary keys, with their card data, in that order
    (one query; a page unpublished since its key was kept is left out)."""
    return in_key_order(model.with_card_data(model.objects.live()), keys)
