"""Daily: remind everyone booked for tomorrow's check-up (in-app message and text message)."""

from typing import Any

from django.core.management.base import BaseCommand

from trips.checkups.services import send_reminders


class Command(BaseCommand):
    help = "体检前一天提醒（每日运行）"

    def handle(self, *args: Any, **options: Any) -> None:
        n = send_reminders()
        self.stdout.write(f"reminded {n}")
