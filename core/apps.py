from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "系统"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.audit import register_sqlite_functions  # noqa: PLC0415 - models load after ready() starts

        # The audit log's DELETE trigger on SQLite asks this function whether a purge is running.
        connection_created.connect(register_sqlite_functions, dispatch_uid="laomo_audit_sqlite")
