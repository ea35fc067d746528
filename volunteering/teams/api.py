"""volunteering.teams: API endpoints under ``/api/volunteering/`` (scoped like the pages): teams,
a team's roster, its activities, and reporting an activity. A report takes an ``Idempotency-Key``
header: a replay returns the first answer and writes nothing.

Who reports what: staff with ``volunteering.teams_manage`` in the team's district, or the team's
own leader, record an activity with hours for any current members (confirmed at once); a current
member (``portal.self``) reports an activity with their own hours only (the leader confirms)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from core.api_input import MAX_OFFSET
from core.errors import DomainError
from core.idempotency import run_idempotent
from core.models import Region, RegionKind
from core.permissions import has_perm, require_api_perm, signed_in
from core.scope import get_visible_or_404
from people.models import Person
from volunteering.models import ActivityStatus, Team
from volunteering.teams import selectors, services

router = Router()

VIEW_PERMS = ("volunteering.teams_view", "portal.self")
MAX_ID = 2**31 - 1


class TeamOut(Schema):
    id: int
    name: str
    specialty: str
    district: str
    leader: str
    members: int
    active: bool


class MemberOut(Schema):
    person_id: int
    name: str
    joined: dt.date
    left: dt.date | None


class TeamDetailOut(TeamOut):
    roster: list[MemberOut]


class ActivityOut(Schema):
    id: int
    date: dt.date
    region: str
    place: str
    work_done: str
    people_served: int
    enterprises_helped: int
    problems_solved: int
    machines_repaired: int
    status: str
    hours: Decimal


class HoursIn(Schema):
    person_id: int = Field(ge=1, le=MAX_ID)
    hours: Decimal = Field(ge=Decimal("0.5"), le=Decimal("24"), decimal_places=1)


class ActivityIn(Schema):
    date: dt.date
    region_id: int = Field(ge=1, le=MAX_ID)
    place: str = Field("", max_length=120)
    work_done: str = Field(min_length=1, max_length=2000)
    people_served: int = Field(0, ge=0, le=1_000_000)
    enterprises_helped: int = Field(0, ge=0, le=100_000)
    problems_solved: int = Field(0, ge=0, le=100_000)
    machines_repaired: int = Field(0, ge=0, le=100_000)
    hours: list[HoursIn] = Field(min_length=1, max_length=500)


def _team(request: HttpRequest, pk: int) -> Team:
    try:
        return get_visible_or_404(Team.objects.select_related("specialty", "district", "leader"), request.user, pk=pk)
    except Http404 as exc:
        raise HttpError(404, _("记录不存在")) from exc


def _team_row(team: Team, members: int) -> dict[str, Any]:
    return {
        "id": team.pk,
        "name": team.name,
        "specialty": team.specialty.name,
        "district": team.district.name,
        "leader": team.leader.name if team.leader else "",
        "members": members,
        "active": team.active,
    }


@router.get("/teams", response=list[TeamOut], url_name="volunteering_teams")
def teams(
    request: HttpRequest,
    q: str = Query("", max_length=40),
    specialty: int | None = Query(None, ge=1, le=MAX_ID),
    district: int | None = Query(None, ge=1, le=MAX_ID),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(50, ge=1, le=200),
) -> list[dict[str, Any]]:
    """Teams the user sees (district staff: their district's; a leader: theirs; a member: their own)."""
    user = require_api_perm(request, *VIEW_PERMS, combine=any)
    qs = selectors.teams_for(user, q=q.strip(), specialty=specialty, district=district).order_by(
        "district__path", "specialty__sort", "name", "id"
    )
    return [_team_row(t, t.n_members) for t in qs[offset : offset + limit]]  # type: ignore[attr-defined]


@router.get("/teams/{pk}", response=TeamDetailOut, url_name="volunteering_team")
def team(request: HttpRequest, pk: int, current: bool = False) -> dict[str, Any]:
    """A team and its roster (``current=true``: present members only), oldest membership first."""
    require_api_perm(request, *VIEW_PERMS, combine=any)
    t = _team(request, pk)
    roster = list(selectors.roster(t, current_only=current)[:2000])
    members = sum(1 for m in roster if m.left is None) if not current else len(roster)
    return _team_row(t, members) | {
        "roster": [
            {"person_id": m.person_id, "name": m.person.name, "joined": m.joined, "left": m.left} for m in roster
        ]
    }


@router.get("/teams/{pk}/activities", response=list[ActivityOut], url_name="volunteering_team_activities")
def activities(
    request: HttpRequest,
    pk: int,
    year: int | None = Query(None, ge=2000, le=2100),
    status: ActivityStatus | None = None,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(50, ge=1, le=200),
) -> list[dict[str, Any]]:
    """A team's activities, newest first, with the hours given (scoped as the pages: staff their
    district's, a leader their teams', a member the ones they reported)."""
    user = require_api_perm(request, *VIEW_PERMS, combine=any)
    t = _team(request, pk)
    qs = selectors.activities_for(user, team=t.pk, status=status or "", year=year)
    rows = qs.order_by("-date", "-id")[offset : offset + limit]
    return [
        {
            "id": a.pk,
            "date": a.date,
            "region": a.region.name,
            "place": a.place,
            "work_done": a.work_done,
            "people_served": a.people_served,
            "enterprises_helped": a.enterprises_helped,
            "problems_solved": a.problems_solved,
            "machines_repaired": a.machines_repaired,
            "status": a.status,
            "hours": getattr(a, "total_hours", None) or Decimal(0),
        }
        for a in rows
    ]


def _region(team: Team, region_id: int, *, own_district: bool) -> Region:
    regions = Region.objects.filter(active=True)
    if own_district:
        regions = regions.filter(path__startswith=team.district.path)
    else:
        regions = regions.filter(
            kind__in=[RegionKind.DISTRICT, RegionKind.ZONE, RegionKind.STREET, RegionKind.COMMUNITY]
        )
    region = regions.filter(pk=region_id).first()
    if region is None:
        raise DomainError(_("活动地点须是本队所在区县内的镇街或社区"), field="region_id")
    return region


@router.post(
    "/teams/{pk}/activities",
    response={200: dict[str, Any], 201: dict[str, Any]},
    url_name="volunteering_team_activity_report",
)
def report(
    request: HttpRequest,
    pk: int,
    payload: ActivityIn,
    idempotency_key: str = Header(default="", alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    """Record (staff, the leader: confirmed at once) or report (a member, own hours: the leader
    confirms) an activity of the team."""
    user = require_api_perm(request, *VIEW_PERMS, combine=any)
    t = _team(request, pk)
    hours = {h.person_id: h.hours for h in payload.hours}
    fields = payload.dict(exclude={"hours", "region_id"})

    def work() -> tuple[int, dict[str, Any]]:
        leads = t.leader is not None and t.leader.user_id == user.pk
        if leads or has_perm(user, "volunteering.teams_manage"):
            region = _region(t, payload.region_id, own_district=True)
            a = services.record_activity(actor=user, team=t, region=region, hours=hours, photos=[], **fields)
        else:
            person = Person.objects.filter(user=user).first()
            if person is None or not t.members.filter(person=person, left__isnull=True).exists():
                raise DomainError(_("只有本队在队队员可以上报本队活动"))
            if set(hours) != {person.pk}:
                raise DomainError(_("队员只能上报本人的服务时长"), field="hours")
            region = _region(t, payload.region_id, own_district=False)
            a = services.report_activity(
                actor=user, person=person, team=t, region=region, hours=hours[person.pk], photos=[], **fields
            )
        return 201, {"id": a.pk, "status": a.status}

    try:
        status, body = run_idempotent(
            user=signed_in(request),
            key=idempotency_key,
            endpoint=f"volunteering.team_activity:{pk}",
            payload={"team": pk, **payload.dict()},
            work=work,
        )
    except DomainError as exc:  # IdempotencyError included: a missing or reused key
        raise HttpError(422, exc.message) from exc
    return Status(status, body)
