from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "慰问金"
    default_auto_field = "django.db.models.BigAutoField"
