"""Daily: remind handlers and their supervisors of 信访 deadlines due soon, today or overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from casework.petitions.reminders import send_reminders


class Command(BaseCommand):
    help = "信访件期限提醒：3个工作日内到期、今天到期或已超期（每日运行，同一天重复运行不会重复提醒）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="the day to remind for (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        n = send_reminders(on=options.get("date"))
        self.stdout.write(f"reminded {n}")
