from django.core.management.base import BaseCommand

from core.reference.loader import load_all_reference


class Command(BaseCommand):
    help = "Load reference data (regions, dictionaries, catalogues). Safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        load_all_reference()
        self.stdout.write(self.style.SUCCESS("reference data loaded"))
