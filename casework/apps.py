from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """Casework: hardship files (困难档案), visits (走访慰问) and letters, calls and visits (来信来电来访)."""

    name = "casework"
    verbose_name = "帮扶与信访"
    default_auto_field = "django.db.models.BigAutoField"
