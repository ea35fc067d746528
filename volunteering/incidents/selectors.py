"""Reads of the incidents part shared by pages and the API (scoped)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.scope import scope_for
from volunteering.models import Incident, IncidentArea, IncidentStatus, Need, NeedStatus, TeamMember


def covers_region(user: Any, region: Any) -> bool:
    """Whether the user's staff scope (city, or a district) includes ``region``."""
    scope = scope_for(user)
    return scope.everything or any(region.path.startswith(p) for p in scope.region_paths)


def callable_person_ids(user: Any, need: Need) -> list[int] | None:
    """Whom ``user`` may call out for ``need``: ``None`` (anyone proposed) for staff whose region
    covers the need; for a team leader, the current members of the teams they lead that have a
    part of the need's incident in the need's district (an empty list: nobody)."""
    if user is None or covers_region(user, need.district):
        return None
    teams = IncidentArea.objects.filter(
        incident_id=need.incident_id, region_id=need.district_id, team__leader__user=user, team__active=True
    ).values("team")
    return sorted(set(TeamMember.objects.filter(team__in=teams, left__isnull=True).values_list("person_id", flat=True)))


def open_incidents_for_requesters() -> QuerySet[Incident]:
    """Incidents a requester may report a need for: every open one (their titles are public notices)."""
    return Incident.objects.filter(status=IncidentStatus.OPEN).order_by("-started", "-id")


def needs_requested_by(user: Any) -> QuerySet[Need]:
    """A requester's own needs (anyone else's do not exist for them)."""
    return Need.objects.filter(requested_by=user).select_related("incident", "specialty", "district", "region")


def needs_awaiting_acceptance(user: Any) -> QuerySet[Need]:
    return Need.objects.visible_to(user).filter(status=NeedStatus.PENDING)
