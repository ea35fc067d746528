from django.core.management.base import BaseCommand

from census.services import UPLOAD_KEEP, purge_stale_uploads


class Command(BaseCommand):
    help = "Delete uploaded census files no longer needed (imported, abandoned, or older than UPLOAD_KEEP)."

    def handle(self, *args: object, **options: object) -> None:
        deleted = purge_stale_uploads()
        self.stdout.write(f"deleted {deleted} uploaded files (kept at most {UPLOAD_KEEP})")
