import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from core.models import AuditEntry


class Command(BaseCommand):
    help = "Delete audit entries older than AUDIT_RETENTION_DAYS (never less than 183 days)."

    def handle(self, *args: object, **options: object) -> None:
        cutoff = timezone.now() - dt.timedelta(days=max(settings.AUDIT_RETENTION_DAYS, 183))
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL laomo.audit_purge = 'on'")
            count, _ = AuditEntry.objects.filter(created__lt=cutoff).delete()
        self.stdout.write(f"deleted {count} audit entries older than {cutoff:%Y-%m-%d}")
