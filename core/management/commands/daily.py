"""Once a day: every installed app's daily jobs (``<app>/daily.py``, the ``daily_job`` point), e.g.
yearly hardship re-checks, check-up and technical-help reminders. Each job is idempotent, so a
second run on the same day (or a rerun after a failure) does nothing twice. One job's failure does
not stop the others; the command then ends with an error naming it."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core import extensions as core_points

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run every app's daily jobs (re-checks, reminders); run once a day, safe to rerun"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", nargs="*", default=[], help="app labels (default: every app)")

    def handle(self, *args: Any, **options: Any) -> None:
        today: dt.date = timezone.localdate()
        failed = []
        for config, job in core_points.daily_job.by_app():
            if options["only"] and config.label not in options["only"]:
                continue
            self.stdout.write(f"{config.label}:")
            try:
                job(today=today, stdout=self.stdout)
            except Exception:  # one app's failure must not stop the others' reminders
                log.exception("daily job of %s failed", config.label)
                failed.append(config.label)
        if failed:
            raise CommandError(f"daily jobs failed: {', '.join(failed)} (see the log)")
