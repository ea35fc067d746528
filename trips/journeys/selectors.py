"""trips.journeys: reads (the priority list)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext as _

from core.models import Region
from people.models import Person, PersonStatus
from trips.journeys.rules import eligible_people, rules_for


@dataclass
class PriorityRow:
    person: Person
    last_trip_year: int | None
    reason: str
    front_line: bool = False
    health_note: str = ""


def priority_list(*, district: Region, year: int, limit: int | None = None) -> list[PriorityRow]:
    """Those the rules table admits for ``year`` (trips.journeys.rules), in order: never sent first, then
    the longest since the last trip, front-line workers before others, older first on ties. One query."""
    rules = rules_for(year)
    front = Case(
        When(status=PersonStatus.WORKING, travel_history__front_line=True, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    qs = (
        eligible_people(rules, year=year)
        .filter(district=district)
        .annotate(
            last_year=F("travel_history__last_trip_year"),
            front=front,
            health_flag=F("travel_history__health_restricted"),
            health_note=F("travel_history__health_note"),
        )
        .order_by(F("last_year").asc(nulls_first=True), F("front").desc(), F("birth_date").asc(nulls_last=True), "id")
        .only("id", "name", "birth_date", "district_id", "status")
    )
    if limit is not None:
        qs = qs[:limit]
    rows = []
    for p in qs:
        last = getattr(p, "last_year", None)
        parts = [
            _("从未参加疗休养") if last is None else _("上次参加：%(y)s年，已隔%(n)s年") % {"y": last, "n": year - last}
        ]
        is_front = bool(getattr(p, "front", 0))
        if is_front:
            parts.append(_("一线职工优先"))
        note = ""
        if getattr(p, "health_flag", False):
            note = getattr(p, "health_note", "") or ""
            parts.append(_("健康提示：%(n)s") % {"n": note})
        rows.append(
            PriorityRow(
                person=p, last_trip_year=last, reason="；".join(parts)[:120], front_line=is_front, health_note=note
            )
        )
    return rows
