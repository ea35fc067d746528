"""trips.journeys: what it does when a person is shown, merged or changed (called by ``trips/hooks.py``).

``on_person_merged`` must name every model of this part with a foreign key to Person (a test reads
this module)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from core.models import Actor
from people.history import Section
from people.panels import Panel
from trips.models import Nomination, TravelHistory


def on_person_merged(*, keep: Any, duplicate: Any, actor: Actor = None) -> None:
    kept_batches = set(Nomination.objects.filter(person=keep).values_list("batch_id", flat=True))
    Nomination.objects.filter(person=duplicate).exclude(batch_id__in=kept_batches).update(person=keep)
    Nomination.objects.filter(person=duplicate).delete()
    dup = TravelHistory.objects.filter(person=duplicate).first()
    if dup is not None:
        mine, _created = TravelHistory.objects.get_or_create(person=keep, defaults={"district_id": keep.district_id})
        mine.last_trip_year = max(mine.last_trip_year or 0, dup.last_trip_year or 0) or None
        mine.trips += dup.trips
        mine.save()
        dup.delete()


def on_person_changed(*, person_ids: Collection[int], fields: Collection[str], actor: Actor = None) -> None:
    pass


def person_panels(*, user: Any, person: Any) -> list[Panel]:
    return []


def portal_sections(*, user: Any, person: Any) -> list[Section]:
    return []
