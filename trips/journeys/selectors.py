"""trips.journeys: reads (the priority list)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext as _

from core.models import Region
from people.models import Person


@dataclass
class PriorityRow:
    person: Person
    last_trip_year: int | None
    reason: str


def priority_list(*, district: Region, year: int, limit: int | None = None) -> list[PriorityRow]:
    """Never sent first, then the longest since the last trip, older first on ties: one indexed query."""
    qs = (
        Person.objects.available()
        .filter(district=district)
        .exclude(travel_history__last_trip_year__gte=year)
        .annotate(last_year=F("travel_history__last_trip_year"))
        .order_by(F("last_year").asc(nulls_first=True), F("birth_date").asc(nulls_last=True), "id")
        .only("id", "name", "birth_date", "district_id")
    )
    if limit is not None:
        qs = qs[:limit]
    rows = []
    for p in qs:
        last = getattr(p, "last_year", None)
        reason = (
            _("从未参加疗休养") if last is None else _("上次参加：%(y)s年，已隔%(n)s年") % {"y": last, "n": year - last}
        )
        rows.append(PriorityRow(person=p, last_trip_year=last, reason=reason))
    return rows
