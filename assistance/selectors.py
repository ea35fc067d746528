"""Reads shared by pages, the API and exports. Everything starts from ``visible_to(user)``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone

from assistance.models import (
    Call,
    Category,
    HelpRequest,
    Invitation,
    InvitationStatus,
    RequestEvent,
    Status,
    Visit,
    VisitPerson,
)
from core.models import Region, RegionKind
from core.scope import get_visible_or_404, regions_visible_to, scope_for


@dataclass
class RequestFilters:
    q: str = ""
    status: str = ""
    district: Region | None = None
    category: Category | None = None
    call: Call | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def requests_for_user(user: Any, filters: RequestFilters | None = None) -> QuerySet[HelpRequest]:
    f = filters or RequestFilters()
    qs = HelpRequest.objects.visible_to(user)
    if f.q:
        qs = qs.filter(Q(org_name__icontains=f.q) | Q(number__icontains=f.q) | Q(title__icontains=f.q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.district:
        qs = qs.filter(district=f.district)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.call:
        qs = qs.filter(call=f.call)
    if f.date_from:
        qs = qs.filter(created__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(created__date__lte=f.date_to)
    return qs


def request_list_page(qs: QuerySet[HelpRequest]) -> QuerySet[HelpRequest]:
    return qs.select_related("district", "region", "category", "call")


def get_request(user: Any, pk: int) -> HelpRequest:
    return get_visible_or_404(
        HelpRequest.objects.select_related(
            "district", "street", "region", "category", "call", "merged_into", "requester"
        ),
        user,
        pk=pk,
    )


def request_story(request: HelpRequest, *, public_only: bool) -> QuerySet[RequestEvent]:
    qs = request.events.select_related("actor")
    return qs.filter(public=True) if public_only else qs


def request_visits(request: HelpRequest) -> QuerySet[Visit]:
    return request.visits.prefetch_related("participants__person", "attachments")


def request_invitations(request: HelpRequest) -> QuerySet[Invitation]:
    return request.invitations.select_related("person", "person__district")


def districts_for(user: Any) -> QuerySet[Region]:
    return regions_visible_to(user).filter(kind__in=[RegionKind.DISTRICT, RegionKind.ZONE]).order_by("sort", "code")


def all_districts() -> QuerySet[Region]:
    return Region.objects.filter(kind__in=[RegionKind.DISTRICT, RegionKind.ZONE], active=True).order_by("sort", "code")


def calls_for_user(user: Any) -> QuerySet[Call]:
    """Calls of the user's regions plus the city-wide ones (district staff take part in those)."""
    scope = scope_for(user)
    if scope.everything:
        return Call.objects.select_related("scope")
    return (Call.objects.visible_to(user) | Call.objects.filter(scope__kind=RegionKind.CITY)).select_related("scope")


def invitations_for_person_user(user: Any) -> QuerySet[Invitation]:
    """A model worker's own invitations (self scope)."""
    return (
        Invitation.objects.filter(person__user=user)
        .exclude(status=InvitationStatus.WITHDRAWN)
        .select_related("request", "request__category", "request__district", "request__street", "person")
    )


def services_of(person: Any) -> QuerySet[Invitation]:
    """The requests a person served (accepted invitations), with their visits' hours."""
    return (
        Invitation.objects.filter(person=person, status=InvitationStatus.ACCEPTED)
        .select_related("request", "request__category", "request__district")
        .annotate(
            visits=Count("request__visits__participants", filter=Q(request__visits__participants__person=person)),
            hours=Sum("request__visits__participants__hours", filter=Q(request__visits__participants__person=person)),
        )
        .order_by("-request__created")
    )


# ----------------------------------------------------------------------------- figures


@dataclass
class Figures:
    requests: int
    done: int
    enterprises_helped: int
    problems_solved: int
    person_visits: int
    experts: int
    hours: Decimal
    workers_trained: int
    workers_served: int
    equipment_repaired: int
    avg_days_to_first_visit: float | None
    satisfaction: float | None
    rated: int


def figures(qs: QuerySet[HelpRequest]) -> Figures:
    """The association's figures over a (scoped, filtered) set of requests. Merged duplicates
    are not counted as requests."""
    qs = qs.exclude(status=Status.MERGED)
    done = qs.filter(status=Status.DONE)
    sums = done.aggregate(
        p=Sum("problems_solved"), t=Sum("workers_trained"), s=Sum("workers_served"), e=Sum("equipment_repaired")
    )
    orgs = {code or name for code, name in done.values_list("credit_code", "org_name")}
    visits = VisitPerson.objects.filter(visit__request__in=qs.values("pk"))
    visit_sums = visits.aggregate(n=Count("id"), experts=Count("person", distinct=True), hours=Sum("hours"))
    waits = [
        (first - timezone.localtime(created).date()).days
        for created, first in qs.filter(first_visit_on__isnull=False).values_list("created", "first_visit_on")
        if first is not None
    ]
    rating = qs.filter(rating__isnull=False).aggregate(avg=Avg("rating"), n=Count("id"))
    return Figures(
        requests=qs.count(),
        done=done.count(),
        enterprises_helped=len(orgs),
        problems_solved=sums["p"] or 0,
        person_visits=visit_sums["n"] or 0,
        experts=visit_sums["experts"] or 0,
        hours=visit_sums["hours"] or Decimal(0),
        workers_trained=sums["t"] or 0,
        workers_served=sums["s"] or 0,
        equipment_repaired=sums["e"] or 0,
        avg_days_to_first_visit=round(sum(waits) / len(waits), 1) if waits else None,
        satisfaction=round(float(rating["avg"]), 2) if rating["avg"] is not None else None,
        rated=rating["n"],
    )


def figures_by(qs: QuerySet[HelpRequest], field: str) -> list[dict[str, Any]]:
    """Requests, done and problems solved grouped by ``district`` or ``category``."""
    qs = qs.exclude(status=Status.MERGED)
    rows = (
        qs.values(f"{field}__name")
        .annotate(
            requests=Count("id"),
            done=Count("id", filter=Q(status=Status.DONE)),
            problems=Sum("problems_solved", filter=Q(status=Status.DONE)),
            trained=Sum("workers_trained", filter=Q(status=Status.DONE)),
        )
        .order_by("-requests", f"{field}__name")
    )
    return [
        {
            "name": r[f"{field}__name"],
            "requests": r["requests"],
            "done": r["done"],
            "problems": r["problems"] or 0,
            "trained": r["trained"] or 0,
        }
        for r in rows
    ]
