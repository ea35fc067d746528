from django.apps import AppConfig


class CensusConfig(AppConfig):
    name = "census"
    default_auto_field = "django.db.models.BigAutoField"
