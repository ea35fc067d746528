"""Daily: remind everyone booked for tomorrow's check-up (once per booking)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from trips.checkups.services import send_reminders


def run(*, today: dt.date, stdout: Any) -> None:
    stdout.write(f"  checkups: reminded {send_reminders(on=today)}\n")
