"""Small builders for registry tests: valid ID numbers and people made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.idnumber import check_char
from core.models import Region
from people.models import Person
from people.services import create_person


def make_id(birth: dt.date, seq: int = 1, *, male: bool = True, area: str = "330212") -> str:
    """A valid 18-character ID number (GB 11643 check digit) for ``birth`` and sex."""
    third = seq * 2 + (1 if male else 0)  # 17th digit: odd for men, even for women
    first17 = f"{area}{birth:%Y%m%d}{third % 1000:03d}"
    return first17 + check_char(first17)


def make_person(name: str, region: Region, **fields: Any) -> Person:
    fields.setdefault("gender", "M")
    return create_person(actor=None, region=region, name=name, **fields)
