from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assistance.services import send_reminders


class Command(BaseCommand):
    help = "Remind invited people who have not answered; tell district staff when nobody answers (run hourly)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_reminders()
        self.stdout.write(f"reminded {result['reminded']}, escalated {result['escalated']}")
