"""Daily: give every open, filed hardship file this year's re-check (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from casework.hardship.services import create_yearly_rechecks


def run(*, today: dt.date, stdout: Any) -> None:
    stdout.write(f"  hardship: {create_yearly_rechecks(today=today)} re-checks created\n")
