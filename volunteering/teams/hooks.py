"""volunteering.teams: what it does when a person is shown, merged or changed (called by ``volunteering/hooks.py``).

``on_person_merged`` must name every model of this part with a foreign key to Person (a test reads
this module)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import F
from django.db.models.functions import Least

from core.models import Actor
from people.history import Section
from people.panels import Panel
from volunteering.models import Activity, ActivityHours, Team, TeamMember


def on_person_merged(*, keep: Any, duplicate: Any, actor: Actor = None) -> None:
    """Team (leader), TeamMember, Activity (reported_by) and ActivityHours move to ``keep``. Where
    both are current members of a team, the duplicate's membership ends (left = joined); where both
    logged hours on one activity, the duplicate's hours are added to ``keep``'s (at most 24)."""

    Team.objects.filter(leader=duplicate).update(leader=keep)
    current = set(TeamMember.objects.filter(person=keep, left__isnull=True).values_list("team_id", flat=True))
    TeamMember.objects.filter(person=duplicate, left__isnull=True, team_id__in=current).update(left=F("joined"))
    TeamMember.objects.filter(person=duplicate).update(person=keep)
    Activity.objects.filter(reported_by=duplicate).update(reported_by=keep)
    for row in ActivityHours.objects.filter(person=duplicate):
        mine = ActivityHours.objects.filter(person=keep, activity_id=row.activity_id)
        if mine.exists():
            mine.update(hours=Least(F("hours") + row.hours, 24))
            row.delete()
    ActivityHours.objects.filter(person=duplicate).update(person=keep)


def on_person_changed(*, person_ids: Collection[int], fields: Collection[str], actor: Actor = None) -> None:
    pass


def person_panels(*, user: Any, person: Any) -> list[Panel]:
    return []


def portal_sections(*, user: Any, person: Any) -> list[Section]:
    return []
