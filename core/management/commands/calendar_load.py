"""Load a year of the working-day calendar from the chinese-calendar package: ``calendar_load 2026``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import DomainError
from core.workdays import load_year


class Command(BaseCommand):
    help = "Load years of the working-day calendar (core.CalendarDay) from chinese-calendar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("years", nargs="+", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        for year in options["years"]:
            try:
                added = load_year(year)
            except DomainError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{year}: {added} days added")
