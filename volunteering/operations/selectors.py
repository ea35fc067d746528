"""Operations reads: the live board of an incident and the closing figures (one selector per figure)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from core.models import Region
from core.scope import scope_for
from volunteering.models import (
    Activity,
    Answer,
    CallOutAnswer,
    Dispatch,
    DispatchStatus,
    EquipmentItem,
    EquipmentLoan,
    Incident,
    IncidentArea,
    IncidentStatus,
    Need,
    NeedStatus,
)

ACTIVE = (DispatchStatus.DISPATCHED, DispatchStatus.ON_SITE)


def board(incident: Incident, user: Any) -> dict[str, Any]:
    """Needs open/covered, people called/answered/dispatched/on site, equipment out, per district.
    Four queries whatever the size (the board polls every 10 s): needs and dispatches are counted
    per district once and summed here for the totals."""
    needs = Need.objects.visible_to(user).filter(incident=incident)
    by_district = list(
        needs.values("district__name")
        .annotate(
            open=Count("id", filter=Q(status=NeedStatus.OPEN)),
            covered=Count("id", filter=Q(status=NeedStatus.COVERED)),
            total=Count("id"),
        )
        .order_by("district__name")
    )
    need_counts = {k: sum(r[k] for r in by_district) for k in ("open", "covered", "total")}
    answers = CallOutAnswer.objects.filter(callout__need__in=needs)
    called = answers.aggregate(
        called=Count("person", distinct=True),
        answered=Count("person", distinct=True, filter=~Q(answer=Answer.PENDING)),
        yes=Count("person", distinct=True, filter=Q(answer=Answer.YES)),
    )
    d_disp = {
        r["need__district__name"]: r
        for r in Dispatch.objects.filter(need__in=needs)
        .values("need__district__name")
        .annotate(
            dispatched=Count("id", filter=Q(status__in=ACTIVE)),
            on_site=Count("id", filter=Q(status=DispatchStatus.ON_SITE)),
            done=Count("id", filter=Q(status=DispatchStatus.DONE)),
        )
        .order_by()
    }
    disp = {k: sum(r[k] for r in d_disp.values()) for k in ("dispatched", "on_site", "done")}
    lent = EquipmentLoan.objects.filter(need__in=needs).aggregate(lent=Sum("count"), back=Sum("returned"))
    equipment_out = (lent["lent"] or 0) - (lent["back"] or 0)
    districts = [
        {
            "district__name": r["district__name"],
            "open": r["open"],
            "covered": r["covered"],
            "dispatched": d_disp.get(r["district__name"], {}).get("dispatched", 0),
            "on_site": d_disp.get(r["district__name"], {}).get("on_site", 0),
        }
        for r in by_district
    ]
    return {
        "needs": need_counts,
        **called,
        **disp,
        "equipment_out": equipment_out,
        "districts": districts,
    }


def open_needs(incident: Incident, user: Any) -> Any:
    return (
        Need.objects.visible_to(user)
        .filter(incident=incident, status=NeedStatus.OPEN)
        .select_related("district", "specialty")
        .order_by("-urgency", "created")
    )


def outstanding_loans(incident: Incident, user: Any) -> Any:
    return (
        EquipmentLoan.objects.visible_to(user)
        .filter(need__incident=incident)
        .select_related("item", "need")
        .only("count", "returned", "lent_at", "item__name", "need__place")
        .order_by("-lent_at")
    )


def timeline(incident: Incident) -> dict[str, list[Any]]:
    """Per day: people dispatched, checked in, checked out (ECharts series)."""
    rows: dict[str, dict[str, int]] = {}
    qs = Dispatch.objects.filter(need__incident=incident)
    for field, key in (("dispatched_at", "sent"), ("checked_in_at", "in"), ("checked_out_at", "out")):
        for r in (
            qs.exclude(**{field: None}).annotate(day=TruncDate(field)).values("day").annotate(n=Count("id")).order_by()
        ):
            rows.setdefault(r["day"].isoformat(), {})[key] = r["n"]
    days = sorted(rows)
    return {
        "days": days,
        "sent": [rows[d].get("sent", 0) for d in days],
        "in": [rows[d].get("in", 0) for d in days],
        "out": [rows[d].get("out", 0) for d in days],
    }


# The closing figures — one selector each, from the records (dispatch results and confirmed activities).


# Each takes ``region``: None for the whole incident (the city), or a district (street, …) for
# that part of it only — needs whose place lies in the region, activities held there.


def _acts(incident: Incident, region: Region | None = None) -> Any:
    qs = Activity.objects.filter(incident=incident).exclude(status="rejected")
    return qs if region is None else qs.filter(region__path__startswith=region.path)


def _done(incident: Incident, region: Region | None = None) -> Any:
    qs = Dispatch.objects.filter(need__incident=incident, status=DispatchStatus.DONE)
    return qs if region is None else qs.filter(need__region__path__startswith=region.path)


def _loans(incident: Incident, region: Region | None = None) -> Any:
    qs = EquipmentLoan.objects.filter(need__incident=incident)
    return qs if region is None else qs.filter(need__region__path__startswith=region.path)


def activities_count(incident: Incident, region: Region | None = None) -> int:
    return int(_acts(incident, region).count())


def craftsmen_count(incident: Incident, region: Region | None = None) -> int:
    return int(_done(incident, region).values("person").distinct().count())


def enterprises_helped(incident: Incident, region: Region | None = None) -> int:
    return int(_done(incident, region).exclude(need__enterprise="").values("need__enterprise").distinct().count())


def problems_solved(incident: Incident, region: Region | None = None) -> int:
    return int(_done(incident, region).aggregate(n=Sum("problems_solved"))["n"] or 0)


def machines_repaired(incident: Incident, region: Region | None = None) -> int:
    return int(_done(incident, region).aggregate(n=Sum("machines_repaired"))["n"] or 0)


def people_served(incident: Incident, region: Region | None = None) -> int:
    return int(_done(incident, region).aggregate(n=Sum("people_served"))["n"] or 0)


def equipment_sent(incident: Incident, kind: str = "", region: Region | None = None) -> int:
    qs = _loans(incident, region)
    if kind:
        qs = qs.filter(item__kind=kind)
    return int(qs.aggregate(n=Sum("count"))["n"] or 0)


def incident_figures(incident: Incident, region: Region | None = None) -> list[tuple[str, int]]:
    return [
        (_("服务活动"), activities_count(incident, region)),
        (_("参与工匠"), craftsmen_count(incident, region)),
        (_("服务企业"), enterprises_helped(incident, region)),
        (_("解决问题"), problems_solved(incident, region)),
        (_("修复设备"), machines_repaired(incident, region)),
        (_("服务职工"), people_served(incident, region)),
        (_("调出物资"), equipment_sent(incident, region=region)),
    ]


def figures_regions(user: Any, incident: Incident) -> list[Region]:
    """The parts of an incident whose figures a user may read, or ``[]`` for the whole incident
    (city staff). District staff: their regions; a team leader: the areas their teams run."""
    scope = scope_for(user)
    if scope.everything:
        return []
    if scope.region_ids:
        return list(Region.objects.filter(pk__in=scope.region_ids).order_by("path"))
    return list(
        Region.objects.filter(
            pk__in=IncidentArea.objects.filter(incident=incident, team__leader__user=user).values("region")
        ).order_by("path")
    )


def district_breakdown(incident: Incident, region: Region | None = None) -> list[dict[str, Any]]:
    """Per district of the needs: craftsmen, enterprises, problems, machines, people served (done tasks)."""
    return list(
        _done(incident, region)
        .values("need__district__name")
        .annotate(
            craftsmen=Count("person", distinct=True),
            enterprises=Count("need__enterprise", distinct=True, filter=~Q(need__enterprise="")),
            problems=Sum("problems_solved"),
            machines=Sum("machines_repaired"),
            served=Sum("people_served"),
        )
        .order_by("-machines", "-craftsmen", "need__district__name")
    )


def top_enterprises(incident: Incident, limit: int = 8, region: Region | None = None) -> list[dict[str, Any]]:
    """The enterprises helped most (machines repaired, then problems solved), with how many went."""
    return list(
        _done(incident, region)
        .exclude(need__enterprise="")
        .values("need__enterprise", "need__region__name")
        .annotate(
            craftsmen=Count("person", distinct=True),
            machines=Sum("machines_repaired"),
            problems=Sum("problems_solved"),
        )
        .order_by("-machines", "-problems", "need__enterprise")[:limit]
    )


def equipment_by_item(incident: Incident, region: Region | None = None) -> list[dict[str, Any]]:
    return list(
        _loans(incident, region)
        .values("item__name", "item__owner")
        .annotate(lent=Sum("count"), back=Sum("returned"))
        .order_by("item__name", "item__owner")
    )


# --- the equipment ledger (物资台账): page, Excel and API read the same list ---


def equipment_for_user(user: Any, *, q: str = "", only_out: bool = False) -> Any:
    qs = EquipmentItem.objects.visible_to(user).select_related("district").order_by("district__code", "name", "pk")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(owner__icontains=q) | Q(place__icontains=q))
    if only_out:
        qs = qs.filter(count_out__gt=0)
    return qs


def loans_of_item(item: EquipmentItem) -> Any:
    """Every loan of an item (the item is already fetched through the user's scope: its holder
    sees where it went, whichever district the need was in)."""
    return (
        EquipmentLoan.objects.filter(item=item)
        .select_related("need__incident", "need__district")
        .order_by("-lent_at", "-id")
    )


def uncovered_needs(user: Any) -> Any:
    """Needs of open incidents still short of people (status open, people asked for), in scope."""
    return Need.objects.visible_to(user).filter(
        incident__status=IncidentStatus.OPEN, status=NeedStatus.OPEN, people_needed__gt=0
    )
