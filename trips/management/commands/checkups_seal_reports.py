"""Seal check-up report files still stored in the clear (also done by migration trips 0005)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from trips.checkups.reports import seal_stored_reports
from trips.models.checkups import CheckupBooking


class Command(BaseCommand):
    help = "Encrypt check-up report files stored before encryption at rest (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        n = seal_stored_reports(CheckupBooking, stdout=self.stdout if options["verbosity"] > 1 else None)
        self.stdout.write(f"sealed {n} report file(s)")
