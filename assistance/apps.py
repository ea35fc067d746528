from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "assistance"
    verbose_name = "技术帮扶"
    default_auto_field = "django.db.models.BigAutoField"
