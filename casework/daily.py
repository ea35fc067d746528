"""Once a day (``manage.py daily``): each part's daily work (hardship: this year's re-checks;
petitions: deadline reminders)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from casework.parts import PARTS
from core import extensions as core_points


@core_points.daily_job
def run(*, today: dt.date, stdout: Any) -> None:
    PARTS.call("daily", "run", today=today, stdout=stdout)
