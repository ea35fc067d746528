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


def _percent(done: int, total: int) -> float:
    return round(done * 100 / total, 1) if total else 0.0


def _complete(row: dict[str, Any]) -> dict[str, Any]:
    """The derived figures of one row (or of the total): every page reads them from here."""
    row["total"] = sum(row[s.value] for s in RecordState)
    row["surveyed"] = sum(row[s] for s in DONE_STATES)
    row["missing"] = row[RecordState.PENDING] + row[RecordState.UNREACHABLE]
    row["percent"] = _percent(row["surveyed"], row["total"])
    # As the closing summary counts them: reviewed records with no accepted change were
    # confirmed in the end too.
    row["confirmed_final"] = row[RecordState.CONFIRMED] + row["reviewed_uncorrected"]
    return row


_FIGURE_KEYS = [s.value for s in RecordState] + ["corrected", "reviewed_uncorrected"]


def campaign_figures(user: Any, campaign: Campaign, *, district: int | None = None) -> dict[str, Any]:
    """A campaign's figures: ``rows`` per district (per street within ``district``) and their
    ``total``, each with the count per state, ``total``, ``surveyed`` (DONE_STATES), ``missing``,
    ``percent``, ``corrected`` and ``confirmed_final``. ``user`` None: the whole campaign (the
    closing summary). The cards, the table, the chart, the home page, the export and the closing
    summary all read this, so they cannot disagree. One query."""
    records = CensusRecord.objects if user is None else CensusRecord.objects.visible_to(user)
    qs = records.filter(campaign=campaign)
    if district:
        qs = qs.filter(district_id=district)
        key, name = "street_id", "street__name"
    else:
        key, name = "district_id", "district__name"
    # Prefixed: an annotation may not share a field's name (``corrected``).
    aggregates = {f"n_{s.value}": Count("id", filter=Q(state=s.value)) for s in RecordState} | {
        "n_corrected": Count("id", filter=Q(corrected=True)),
        "n_reviewed_uncorrected": Count("id", filter=Q(state=RecordState.REVIEWED, corrected=False)),
    }
    no_street = _("（未分镇街）")
    rows = []
    # order_by(key): an ordering on other columns would split the groups.
    for item in qs.values(key, name).annotate(**aggregates).order_by(key):
        row = {"id": item[key], "name": item[name] or no_street} | {k: item[f"n_{k}"] for k in _FIGURE_KEYS}
        rows.append(_complete(row))
    rows.sort(key=lambda r: (-r["total"], str(r["name"])))
    total = _complete({k: sum(r[k] for r in rows) for k in _FIGURE_KEYS})
    return {"rows": rows, "total": total}


def summary_of(figures: dict[str, Any]) -> dict[str, int]:
    """The census summary (closing summary and the open campaign's progress line) from a
    ``campaign_figures`` total."""
    return {
        "surveyed": figures["surveyed"],
        "confirmed": figures["confirmed_final"],
        "corrected": figures["corrected"],
        "deceased": figures[RecordState.DECEASED],
        "unreachable": figures[RecordState.UNREACHABLE],
        "pending": figures[RecordState.PENDING],
        "total": figures["total"],
    }


def summary_text(summary: dict[str, int]) -> str:
    text = (
        f"普查 {summary['surveyed']:,} 人，确认无误 {summary['confirmed']:,} 人，"
        f"更正 {summary['corrected']:,} 人，去世 {summary['deceased']:,} 人"
    )
    if summary.get("unreachable"):
        text += f"，无法联系 {summary['unreachable']:,} 人"
    if summary.get("pending"):
        text += f"，未联系 {summary['pending']:,} 人"
    return text


def open_campaign_for(user: Any) -> Campaign | None:
    """The open campaign the user works on (the latest they can see), or None."""
    return campaigns_for_user(user).filter(status=Campaign.Status.OPEN).first()


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


def pending_proposal(record: CensusRecord) -> ChangeProposal | None:
    """The proposal of ``record`` waiting for review, with its changes (at most one waits)."""
    return (
        record.proposals.filter(status=ChangeProposal.Status.PENDING)
        .prefetch_related("changes")
        .order_by("-created", "-id")
        .first()
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
