from django.apps import AppConfig


class DemoConfig(AppConfig):
    # The top of the layering: demo content may import every app, and no product app imports it,
    # so the site runs the same whether or not the demo is loaded.
    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    label = "demo"
    verbose_name = "演示内容"
