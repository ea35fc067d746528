from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "assistance"
    default_auto_field = "django.db.models.BigAutoField"
