"""Reads shared by the census pages, exports and the command line. Everything goes through the
scope rule: district staff see their district's records only."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from core.scope import get_visible_or_404

from .models import DONE_STATES, Campaign, CensusRecord, ChangeProposal, ImportBatch, RecordState


def campaigns_for_user(user: Any) -> QuerySet[Campaign]:
    return Campaign.objects.visible_to(user).order_by("-year")


def get_campaign(user: Any, pk: int) -> Campaign:
    return get_visible_or_404(Campaign.objects.all(), user, pk=pk)


def get_record(user: Any, pk: int) -> CensusRecord:
    return get_visible_or_404(
        CensusRecord.objects.select_related("campaign", "person", "district", "street"), user, pk=pk
    )


def records_for(
    user: Any,
    campaign: Campaign,
    *,
    state: str = "",
    district: int | None = None,
    street: int | None = None,
    q: str = "",
) -> QuerySet[CensusRecord]:
    qs = CensusRecord.objects.visible_to(user).filter(campaign=campaign)
    if state == "missing":
        qs = qs.filter(state__in=[RecordState.PENDING, RecordState.UNREACHABLE])
    elif state:
        qs = qs.filter(state=state)
    if district:
        qs = qs.filter(district_id=district)
    if street:
        qs = qs.filter(street_id=street)
    if q:
        qs = qs.filter(Q(person__name__contains=q) | Q(person__id_last4=q) | Q(person__mobile=q))
    return qs.select_related("person", "district", "street").order_by("district__path", "person__name_pinyin", "id")


def board(user: Any, campaign: Campaign, *, district: int | None = None) -> list[dict[str, Any]]:
    """Completion per district (or per street within ``district``): counts by state, surveyed
    and percentage. One query."""
    qs = CensusRecord.objects.visible_to(user).filter(campaign=campaign)
    if district:
        qs = qs.filter(district_id=district)
        key, name = "street_id", "street__name"
    else:
        key, name = "district_id", "district__name"
    rows: dict[Any, dict[str, Any]] = {}
    no_street = _("（未分镇街）")
    for item in qs.values(key, name, "state").annotate(n=Count("id")).order_by(key):
        row = rows.setdefault(
            item[key],
            {"id": item[key], "name": item[name] or no_street} | {s.value: 0 for s in RecordState},
        )
        row[item["state"]] = item["n"]
    result = []
    for row in rows.values():
        row["total"] = sum(row[s.value] for s in RecordState)
        row["surveyed"] = sum(row[s] for s in DONE_STATES)
        row["missing"] = row[RecordState.PENDING] + row[RecordState.UNREACHABLE]
        row["percent"] = round(row["surveyed"] * 100 / row["total"], 1) if row["total"] else 0.0
        result.append(row)
    return sorted(result, key=lambda r: (-r["total"], str(r["name"])))


def proposals_for(user: Any, *, status: str = ChangeProposal.Status.PENDING) -> QuerySet[ChangeProposal]:
    return (
        ChangeProposal.objects.visible_to(user)
        .filter(status=status)
        .select_related("record__person", "record__district", "record__campaign", "proposed_by")
        .prefetch_related("changes")
        .order_by("created", "id")
    )


def get_proposal(user: Any, pk: int) -> ChangeProposal:
    return get_visible_or_404(
        ChangeProposal.objects.select_related("record__person", "record__district", "record__campaign"), user, pk=pk
    )


def batches_for(user: Any) -> QuerySet[ImportBatch]:
    return (
        ImportBatch.objects.visible_to(user)
        .select_related("campaign", "created_by", "region")
        .defer("content")
        .order_by("-created")
    )


def get_batch(user: Any, pk: int) -> ImportBatch:
    return get_visible_or_404(ImportBatch.objects.select_related("campaign"), user, pk=pk)


def own_records(user: Any) -> QuerySet[CensusRecord]:
    """A model worker's own census records (their answers), newest campaign first, with what
    they asked to change. Only records of the registry person linked to ``user``."""
    if not getattr(user, "is_authenticated", False):
        return CensusRecord.objects.none()
    return (
        CensusRecord.objects.filter(person__user=user)
        .select_related("campaign")
        .prefetch_related("proposals__changes")
        .order_by("-campaign__year", "-id")
    )
