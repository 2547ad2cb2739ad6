from django.apps import AppConfig


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "首页与公共设置"

    def ready(self):
        from home import (  # noqa: F401  (checks registers on import)
            admin_labels,
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
