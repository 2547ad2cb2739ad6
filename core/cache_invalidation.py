"""What each change to content invalidates in the page cache (and the CDN).

- A page published, unpublished, moved or deleted: the page and every page below it (their
  breadcrumbs and URLs follow it), every listing of its type (indexes, home sections, calendars,
  tag pages, feeds, search) and, for the home page and its children, the menu on every page.
  Pages that link to it (a course naming it as venue) follow through Wagtail's reference index.
- An image, document, media file or person edited or deleted: the pages that show it, found
  through the reference index, and the listings of their types (cards show images).
- The shared vocabulary (audiences, categories, tags), site settings and sites: everything, since
  filters, labels and the footer appear on every page.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from core.page_cache import (
    ALL_LISTINGS_KEY,
    ANY_CHANGE_KEY,
    MENU_KEY,
    RESTRICTIONS_KEY,
    SITE_KEY,
    bump,
    children_key,
    listing_key,
)

MENU_DEPTH = 3  # the home page (2) and its children (3) make the menu


def page_keys(page):
    """Keys invalidated when this page changes; ``page`` may be generic or specific."""
    model = page.specific_class or Page
    keys = {
        f"path:{page.path}",
        children_key(page.path[: -Page.steplen]),
        listing_key(model),
        ALL_LISTINGS_KEY,
        ANY_CHANGE_KEY,
    }
    if page.depth <= MENU_DEPTH:
        keys.add(MENU_KEY)
    return keys


def referencing_page_keys(obj):
    """Keys of the live pages that show ``obj`` (an image in a card, a page named as venue)."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = (
        ReferenceIndex.get_references_to(obj)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    keys = set()
    for page in Page.objects.filter(pk__in=[int(pk) for pk in page_ids]).only(
        "path", "depth", "content_type"
    ):
        keys |= page_keys(page)
    return keys


def invalidate_page(page):
    bump(*page_keys(page), *referencing_page_keys(page))


def on_page_changed(sender, instance, **kwargs):
    invalidate_page(instance)


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.live:
        invalidate_page(instance)


def on_page_moving(sender, instance, **kwargs):
    # Before the move: the old path's responses (the old URLs and their subtree) go.
    bump(*page_keys(instance))


def on_restriction_changed(sender, instance, **kwargs):
    from core.view_restrictions import forget_restricted_paths

    forget_restricted_paths()
    bump(RESTRICTIONS_KEY)
    page = Page.objects.filter(pk=instance.page_id).only("path", "depth", "content_type").first()
    if page is not None:
        invalidate_page(page)


def on_shown_object_changed(sender, instance, **kwargs):
    bump(*referencing_page_keys(instance))


def on_site_wide_change(sender, instance, **kwargs):
    bump(SITE_KEY)


def site_wide_models():
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    # The content apps' vocabulary (audiences, categories, tags), named in settings.
    vocabulary = settings.PAGE_CACHE_SITE_WIDE_MODELS
    models = [apps.get_model(label) for label in vocabulary] + [Site]
    models += [
        model
        for model in apps.get_models()
        if issubclass(model, BaseSiteSetting | BaseGenericSetting)
    ]
    return models


def shown_object_models():
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    models = [get_image_model(), get_document_model()]
    # The content apps' snippets that pages show (people), named in settings.
    models += [apps.get_model(label) for label in settings.PAGE_CACHE_SHOWN_MODELS]
    if apps.is_installed("wagtailmedia"):
        from wagtailmedia.models import get_media_model

        models.append(get_media_model())
    return models


def connect():
    page_published.connect(on_page_changed, dispatch_uid="page_cache_published")
    page_unpublished.connect(on_page_changed, dispatch_uid="page_cache_unpublished")
    pre_page_move.connect(on_page_moving, dispatch_uid="page_cache_pre_move")
    post_page_move.connect(on_page_changed, dispatch_uid="page_cache_post_move")
    pre_delete.connect(on_page_deleted, dispatch_uid="page_cache_deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            on_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"page_cache_restriction_{signal is post_save}",
        )
        for model in site_wide_models():
            signal.connect(
                on_site_wide_change,
                sender=model,
                dispatch_uid=f"page_cache_site_{model._meta.label}_{signal is post_save}",
            )
    for model in shown_object_models():
        # On delete, before the references to the object are gone with it.
        for signal in (post_save, pre_delete):
            signal.connect(
                on_shown_object_changed,
                sender=model,
                dispatch_uid=f"page_cache_shown_{model._meta.label}_{signal is post_save}",
            )
