from django.apps import AppConfig


class CensusConfig(AppConfig):
    name = "census"
    verbose_name = "普查"
    default_auto_field = "django.db.models.BigAutoField"
