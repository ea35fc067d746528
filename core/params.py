"""Ids typed into query strings and forms by hand (``?district=12``, ``person=34``).

``str.isdigit()`` is not enough: it takes "²" (which ``int()`` then refuses) and
"99999999999999999999" (which no database column holds: SQLite raises OverflowError,
PostgreSQL an error of its own). Either was a 500."""

from __future__ import annotations

import re

# Up to 18 ASCII digits: every such number fits a signed 64-bit column.
_ID = re.compile(r"[0-9]{1,18}")


def parse_id(raw: object) -> int | None:
    """The positive id ``raw`` names, or None when it names none."""
    if not isinstance(raw, str) or not _ID.fullmatch(raw):
        return None
    return int(raw) or None
