from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The site's infrastructure: caching, routing, security, storage, backup, search text.

    The bottom layer: it imports none of the site's content apps (``home`` and above); where it
    needs to name their models it reads a setting.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    label = "core"
    verbose_name = "站点基础设施"

    def ready(self):
        from core import (  # noqa: F401  (checks registers on import)
            admin_session,
            cache_invalidation,
            checks,
            login_throttle,
            rich_text_sanitiser,
            translation,
        )

        translation.install()
        cache_invalidation.connect()
        login_throttle.connect()
        rich_text_sanitiser.connect()
        admin_session.use_the_users_authenticator()

        # The admin's image, document and media choosers find Chinese words inside titles.
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtailmedia.models import get_media_model

        from core.segmentation import add_segmented_search, remove_deleted_from_index

        for model in (get_image_model(), get_document_model(), get_media_model()):
            add_segmented_search(model)
        remove_deleted_from_index()
