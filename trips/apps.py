from django.apps import AppConfig


class TripsConfig(AppConfig):
    """Recuperation trips (疗休养) with fair rotation, and yearly health check-ups (体检)."""

    name = "trips"
    verbose_name = "疗休养与体检"
    default_auto_field = "django.db.models.BigAutoField"
