from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "schools"
    verbose_name = "社区教育办学体系"

    def ready(self):
        from . import signals

        signals.connect()
