"""Once a day (``manage.py daily``): remind invited craftsmen who have not answered, and tell district
staff when nobody answers (spaced a day apart by the service, so a rerun sends nothing twice;
``manage.py assistance_remind`` may still run hourly for quicker reminders)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistance.services import send_reminders
from core import extensions as core_points


@core_points.daily_job
def run(*, today: dt.date, stdout: Any) -> None:
    result = send_reminders()
    stdout.write(f"  reminded {result['reminded']}, escalated {result['escalated']}\n")
