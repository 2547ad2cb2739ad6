from django.apps import AppConfig


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "首页与公共设置"

    def ready(self):
        from home import cache_invalidation, checks, login_throttle, rich_text_sanitiser  # noqa: F401

        cache_invalidation.connect()
        login_throttle.connect()
        rich_text_sanitiser.connect()
