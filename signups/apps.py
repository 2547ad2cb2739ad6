from django.apps import AppConfig


class SignupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "signups"
    verbose_name = "报名"

    def ready(self):
        from . import signals  # noqa: F401
