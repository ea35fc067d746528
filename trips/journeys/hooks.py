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
        mine.front_line = mine.front_line or dup.front_line
        if dup.health_restricted and not mine.health_restricted:
            mine.health_restricted, mine.health_note = True, dup.health_note
        mine.save()
        dup.delete()


def on_person_changed(*, person_ids: Collection[int], fields: Collection[str], actor: Actor = None) -> None:
    pass


def person_panels(*, user: Any, person: Any) -> list[Panel]:
    return travel_file_panels(user=user, person=person)


def travel_file_panels(*, user: Any, person: Any) -> list[Panel]:
    """疗休养档案 (triprules): last trip, front-line, health restriction; a link to edit them."""
    from django.urls import reverse  # noqa: PLC0415
    from django.utils.translation import gettext as _  # noqa: PLC0415

    from core.permissions import has_perm  # noqa: PLC0415

    if not has_perm(user, "trips.journeys_view"):
        return []
    hist = sheet = TravelHistory.objects.filter(person=person).first()
    rows = [
        [
            _("上次参加疗休养"),
            (_("%(y)s年") % {"y": hist.last_trip_year}) if hist and hist.last_trip_year else _("从未参加"),
        ],
        [_("一线职工"), _("是") if sheet and sheet.front_line else _("否")],
        [_("健康限制"), (sheet.health_note or _("有")) if sheet and sheet.health_restricted else _("无")],
    ]
    url = reverse("trips:journeys_traveller_file", args=[person.pk]) if has_perm(user, "trips.journeys_manage") else ""
    return [Panel(title=_("疗休养档案"), headers=[_("项目"), _("内容")], rows=rows, more_url=url)]


def portal_sections(*, user: Any, person: Any) -> list[Section]:
    return []
