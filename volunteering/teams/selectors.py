"""Reads of the teams part shared by pages, API and exports (all scoped)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from core.permissions import has_perm
from people.models import Person
from volunteering.models import Activity, ActivityHours, ActivityStatus, Team, TeamMember


def teams_for(user: Any, *, q: str = "", specialty: int | None = None, district: int | None = None) -> QuerySet[Team]:
    qs = Team.objects.visible_to(user).select_related("specialty", "district", "leader")
    if q:
        qs = qs.filter(name__contains=q)
    if specialty:
        qs = qs.filter(specialty_id=specialty)
    if district:
        qs = qs.filter(district_id=district)
    return qs.annotate(n_members=Count("members", filter=Q(members__left__isnull=True), distinct=True))


def roster(team: Team, *, current_only: bool = False) -> QuerySet[TeamMember]:
    qs = team.members.select_related("person", "person__district", "person__region").order_by("left", "joined", "id")
    return qs.filter(left__isnull=True) if current_only else qs


def activities_for(
    user: Any, *, team: int | None = None, status: str = "", year: int | None = None
) -> QuerySet[Activity]:
    qs = Activity.objects.visible_to(user).select_related("team", "region", "reported_by")
    if team:
        qs = qs.filter(team_id=team)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(date__year=year)
    return qs.annotate(total_hours=Sum("hours__hours"), n_people=Count("hours", distinct=True))


def awaiting_confirmation(user: Any) -> QuerySet[Activity]:
    """Activities members reported that this user may confirm: a leader's own teams; staff with
    teams_manage, their regions' teams."""
    qs = Activity.objects.filter(status=ActivityStatus.REPORTED)
    led = Q(team__leader__user=user)
    if has_perm(user, "volunteering.teams_manage"):
        return qs.filter(Q(pk__in=Activity.objects.visible_to(user).values("pk")) | led)
    return qs.filter(led)


def team_year_figures(user: Any, year: int) -> list[dict[str, Any]]:
    """Per team: confirmed activities, hours, people served, enterprises helped, problems solved."""
    teams = teams_for(user)
    # Sums per team in their own query (joined with memberships they would be multiplied).
    sums = {
        row["team"]: row
        for row in Activity.objects.filter(
            status=ActivityStatus.CONFIRMED, date__year=year, team__in=teams.values("pk")
        )
        .values("team")
        .annotate(
            n=Count("id"),
            served=Sum("people_served"),
            enterprises=Sum("enterprises_helped"),
            problems=Sum("problems_solved"),
        )
    }
    hours = dict(
        ActivityHours.objects.filter(
            activity__status=ActivityStatus.CONFIRMED, activity__date__year=year, activity__team__in=teams.values("pk")
        )
        .values("activity__team")
        .annotate(h=Sum("hours"))
        .values_list("activity__team", "h")
    )
    return [
        {
            "team": t,
            "activities": sums.get(t.pk, {}).get("n", 0),
            "hours": hours.get(t.pk, Decimal(0)),
            "served": sums.get(t.pk, {}).get("served", 0),
            "enterprises": sums.get(t.pk, {}).get("enterprises", 0),
            "problems": sums.get(t.pk, {}).get("problems", 0),
            "members": t.n_members,  # type: ignore[attr-defined]
        }
        for t in teams
    ]


def person_year_figures(user: Any, year: int, *, team: int | None = None) -> QuerySet[Any]:
    """Per person (of teams the user sees): confirmed activities and hours in ``year``."""
    rows = ActivityHours.objects.filter(
        activity__status=ActivityStatus.CONFIRMED,
        activity__date__year=year,
        activity__team__in=Team.objects.visible_to(user).values("pk"),
    )
    if team:
        rows = rows.filter(activity__team_id=team)
    return (
        rows.values("person_id", "person__name", "person__district__name")
        .annotate(activities=Count("activity", distinct=True), hours=Sum("hours"))
        .order_by("-hours", "person_id")
    )


def my_teams(person: Person, on: dt.date | None = None) -> QuerySet[Team]:
    return (
        Team.objects.filter(members__person=person, members__left__isnull=True).select_related("specialty").distinct()
    )
