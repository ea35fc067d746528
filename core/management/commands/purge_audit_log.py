from django.core.management.base import BaseCommand

from core.audit import purge_audit_log


class Command(BaseCommand):
    help = (
        "Delete audit entries older than AUDIT_RETENTION_DAYS (never less than 183 days); the purge is itself logged."
    )

    def handle(self, *args: object, **options: object) -> None:
        count, cutoff = purge_audit_log()
        self.stdout.write(f"deleted {count} audit entries older than {cutoff:%Y-%m-%d}")
