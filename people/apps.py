from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "人员库"
    default_auto_field = "django.db.models.BigAutoField"
