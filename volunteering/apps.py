from django.apps import AppConfig


class VolunteeringConfig(AppConfig):
    """Volunteer teams, their activities, and emergency incidents with call-outs, dispatch and equipment."""

    name = "volunteering"
    verbose_name = "志愿服务与应急"
    default_auto_field = "django.db.models.BigAutoField"
