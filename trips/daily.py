"""Once a day (``manage.py daily``): each part's daily work (checkups: tomorrow's reminders)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import extensions as core_points
from trips.parts import PARTS


@core_points.daily_job
def run(*, today: dt.date, stdout: Any) -> None:
    PARTS.call("daily", "run", today=today, stdout=stdout)
