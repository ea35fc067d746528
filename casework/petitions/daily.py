"""Daily: remind handlers and city staff of 信访 deadlines due within 3 working days, today or
overdue (one message per person per day; a rerun the same day sends nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from casework.petitions.reminders import send_reminders


def run(*, today: dt.date, stdout: Any) -> None:
    stdout.write(f"  petitions: {send_reminders(on=today)} reminders sent\n")
