from django.apps import AppConfig


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "首页与公共设置"

    def ready(self):
        from home import (  # noqa: F401  (checks registers on import)
            admin_labels,
            admin_session,
            cache_invalidation,
            checks,
            login_throttle,
            permission_names,
            rich_text_sanitiser,
        )

        cache_invalidation.connect()
        login_throttle.connect()
        permission_names.connect()
        admin_labels.apply()
        rich_text_sanitiser.connect()
        admin_session.use_the_users_authenticator()

        # The admin's image, document and media choosers find Chinese words inside titles.
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtailmedia.models import get_media_model

        from home.segmentation import add_segmented_search

        for model in (get_image_model(), get_document_model(), get_media_model()):
            add_segmented_search(model)
