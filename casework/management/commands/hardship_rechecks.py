"""Daily: give every open, filed hardship file this year's re-check (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from casework.hardship.services import create_yearly_rechecks


class Command(BaseCommand):
    help = "Create this year's re-check for every open hardship file (年度复核)"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{create_yearly_rechecks()} re-checks created\n")
