from django.apps import AppConfig


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "首页与公共设置"

    def ready(self):
        from home import admin_labels, permission_names

        permission_names.connect()
        admin_labels.apply()
