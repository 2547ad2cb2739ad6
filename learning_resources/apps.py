from django.apps import AppConfig


class LearningResourcesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "learning_resources"
    verbose_name = "学习资源"

    def ready(self):
        from learning_resources.models.courses import connect_schedule_facts

        connect_schedule_facts()
