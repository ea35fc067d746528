"""Reads shared by pages, the API and the files. Every line-level read goes through the scope rule
(``Payout.objects.visible_to(user)``): district staff see and total only their district."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from core.models import Region
from core.scope import scope_for
from payments.models import (
    ZERO,
    Correction,
    DistrictReport,
    Payout,
    PayoutChange,
    PayoutQuerySet,
    PayoutResult,
    PayoutRound,
    RoundStatus,
)
from people.models import Level

CENT = Decimal("0.01")


def cents(value: Decimal | None) -> Decimal:
    """Database sums to the fen. PostgreSQL's numeric is exact; SQLite sums in binary floating
    point, whose error at these sizes is far below half a fen, so rounding restores the exact sum."""
    return (value or ZERO).quantize(CENT)


def rounds_for_user(user: Any) -> QuerySet[PayoutRound]:
    """Rounds are city-wide campaigns every payments user may see; their lines are scoped."""
    return PayoutRound.objects.select_related("kind", "rule_version__rule_set", "created_by", "approved_by")


def sees_whole_city(user: Any) -> bool:
    return scope_for(user).everything


def payouts_for(user: Any, round_: PayoutRound) -> PayoutQuerySet:
    return Payout.objects.visible_to(user).filter(round=round_)


@dataclass
class PayoutFilters:
    q: str = ""
    district: int | None = None
    level: str = ""
    state: str = ""  # included / excluded / first_time / pending / paid / failed / returned


def filter_payouts(qs: PayoutQuerySet, f: PayoutFilters) -> PayoutQuerySet:
    if f.q:
        qs = qs.filter(Q(person__name__startswith=f.q) | Q(person__name_initials__startswith=f.q.lower()))
    if f.district:
        qs = qs.filter(district_id=f.district)
    if f.level:
        qs = qs.filter(level=f.level)
    if f.state == "included":
        qs = qs.filter(excluded=False)
    elif f.state == "excluded":
        qs = qs.filter(excluded=True)
    elif f.state == "first_time":
        qs = qs.filter(excluded=False, first_time=True)
    elif f.state in PayoutResult.values:
        qs = qs.filter(excluded=False, result=f.state)
    return qs


@dataclass
class Totals:
    """Reconciliation: approved = paid + failed + returned + pending, to the fen."""

    approved_people: int = 0
    approved_total: Decimal = ZERO
    excluded_people: int = 0
    first_time_people: int = 0
    first_time_paid: int = 0
    paid_people: int = 0
    paid_total: Decimal = ZERO
    failed_people: int = 0
    failed_total: Decimal = ZERO
    returned_people: int = 0
    returned_total: Decimal = ZERO
    pending_people: int = 0
    pending_total: Decimal = ZERO

    @property
    def balanced(self) -> bool:
        return self.approved_total == self.paid_total + self.failed_total + self.returned_total + self.pending_total


def _add_row(t: Totals, excluded: bool, result: str, n: int, total: Decimal | None, first: int) -> None:
    if excluded:
        t.excluded_people += n
        return
    total = cents(total)
    t.approved_people += n
    t.approved_total += total
    t.first_time_people += first
    setattr(t, f"{result}_people", getattr(t, f"{result}_people") + n)
    setattr(t, f"{result}_total", getattr(t, f"{result}_total") + total)
    if result == PayoutResult.PAID:
        t.first_time_paid += first


def _grouped(qs: QuerySet[Payout], *keys: str) -> Any:
    return (
        qs.values(*keys, "excluded", "result")
        .annotate(n=Count("id"), total=Sum("amount"), first=Count("id", filter=Q(first_time=True)))
        .order_by()
    )


def _totals(qs: QuerySet[Payout]) -> Totals:
    t = Totals()
    for row in _grouped(qs):
        _add_row(t, row["excluded"], row["result"], row["n"], row["total"], row["first"])
    return t


def totals_by_round(user: Any, round_ids: list[int]) -> dict[int, Totals]:
    """Totals of several rounds in one query (the round list), scoped to the user."""
    out = {pk: Totals() for pk in round_ids}
    for row in _grouped(Payout.objects.visible_to(user).filter(round_id__in=round_ids), "round_id"):
        _add_row(out[row["round_id"]], row["excluded"], row["result"], row["n"], row["total"], row["first"])
    return out


def round_totals(round_: PayoutRound, user: Any = None) -> Totals:
    qs: QuerySet[Payout] = Payout.objects.filter(round=round_)
    if user is not None:
        qs = Payout.objects.visible_to(user).filter(round=round_)
    return _totals(qs)


@dataclass
class SummaryRow:
    district_id: int
    district: str
    people: dict[str, int] = field(default_factory=dict)
    amounts: dict[str, Decimal] = field(default_factory=dict)
    first_time: int = 0
    paid_people: int = 0
    paid_total: Decimal = ZERO

    @property
    def total_people(self) -> int:
        return sum(self.people.values())

    @property
    def total_amount(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)

    def cells(self, levels: list[str]) -> list[tuple[int, Decimal]]:
        return [(self.people.get(lv, 0), self.amounts.get(lv, ZERO)) for lv in levels]


@dataclass
class Summary:
    levels: list[str]
    level_labels: list[str]
    rows: list[SummaryRow]
    footer: SummaryRow


def round_summary(round_: PayoutRound, user: Any, *, paid_only: bool = False) -> Summary:
    """Included lines (or, with ``paid_only``, the lines paid) by district × level, with
    first-time and paid figures. The footer is the sum of the rows (tests hold it to the round's
    totals)."""
    qs = Payout.objects.visible_to(user).filter(round=round_, excluded=False)
    if paid_only:
        qs = qs.filter(result=PayoutResult.PAID)
    rows = (
        qs.values("district_id", "level")
        .annotate(
            n=Count("id"),
            total=Sum("amount"),
            first=Count("id", filter=Q(first_time=True)),
            paid_n=Count("id", filter=Q(result=PayoutResult.PAID)),
            paid_total=Sum("amount", filter=Q(result=PayoutResult.PAID)),
        )
        .order_by()
    )
    districts = {r.pk: r for r in Region.objects.filter(pk__in={r["district_id"] for r in rows})}
    by_district: dict[int, SummaryRow] = {}
    present: set[str] = set()
    for row in rows:
        d = districts[row["district_id"]]
        s = by_district.setdefault(d.pk, SummaryRow(district_id=d.pk, district=d.name))
        s.people[row["level"]] = row["n"]
        s.amounts[row["level"]] = cents(row["total"])
        s.first_time += row["first"]
        s.paid_people += row["paid_n"]
        s.paid_total += cents(row["paid_total"])
        present.add(row["level"])
    levels = [lv.value for lv in Level if lv.value in present]
    ordered = sorted(by_district.values(), key=lambda s: (districts[s.district_id].sort, districts[s.district_id].code))
    footer = SummaryRow(district_id=0, district="合计")
    for s in ordered:
        for lv in levels:
            footer.people[lv] = footer.people.get(lv, 0) + s.people.get(lv, 0)
            footer.amounts[lv] = footer.amounts.get(lv, ZERO) + s.amounts.get(lv, ZERO)
        footer.first_time += s.first_time
        footer.paid_people += s.paid_people
        footer.paid_total += s.paid_total
    return Summary(levels=levels, level_labels=[str(Level(lv).label) for lv in levels], rows=ordered, footer=footer)


def changes_for(user: Any, round_: PayoutRound) -> QuerySet[PayoutChange]:
    return (
        PayoutChange.objects.visible_to(user)
        .filter(round=round_)
        .select_related("payout__person", "payout__district", "actor")
    )


def corrections_for(user: Any, round_: PayoutRound) -> QuerySet[Correction]:
    return (
        Correction.objects.visible_to(user)
        .filter(round=round_)
        .select_related("person", "payout", "requested_by", "decided_by", "district")
    )


def dashboard_figures(user: Any, round_: PayoutRound | None) -> dict[str, Any]:
    """The figures the association reports for a round, scoped to the user: total paid, people
    paid by level and district, first-time recipients (by level too)."""
    if round_ is None:
        return {}
    qs = Payout.objects.visible_to(user).filter(round=round_, excluded=False)
    totals = _totals(qs)
    by_level = {
        r["level"]: r
        for r in qs.values("level")
        .annotate(
            n=Count("id"),
            paid=Count("id", filter=Q(result=PayoutResult.PAID)),
            total=Sum("amount", filter=Q(result=PayoutResult.PAID)),
            first=Count("id", filter=Q(result=PayoutResult.PAID, first_time=True)),
        )
        .order_by()
    }
    levels = [
        {
            "level": lv.value,
            "label": str(lv.label),
            "people": by_level[lv.value]["n"],
            "paid": by_level[lv.value]["paid"],
            "total": cents(by_level[lv.value]["total"]),
            "first_time_paid": by_level[lv.value]["first"],
        }
        for lv in Level
        if lv.value in by_level
    ]
    summary = round_summary(round_, user)
    return {"totals": totals, "levels": levels, "summary": summary}


def years_overview(user: Any) -> list[dict[str, Any]]:
    """Paid totals per round for the trend chart (scoped)."""
    rows = (
        Payout.objects.visible_to(user)
        .filter(excluded=False, result=PayoutResult.PAID, round__status__in=[RoundStatus.APPROVED, RoundStatus.CLOSED])
        .values("round_id", "round__title", "round__year")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by("round__year", "round_id")
    )
    return [
        {"title": r["round__title"], "year": r["round__year"], "total": cents(r["total"]), "people": r["n"]}
        for r in rows
    ]


def sign_sheet_rows(round_: PayoutRound, district: Region, user: Any) -> list[Payout]:
    return list(
        Payout.objects.visible_to(user)
        .filter(round=round_, district=district, excluded=False)
        .select_related("person")
        .order_by("person__name_pinyin", "id")
    )


def districts_in_round(round_: PayoutRound, user: Any) -> list[Region]:
    ids = Payout.objects.visible_to(user).filter(round=round_).values("district_id").distinct()
    return list(Region.objects.filter(pk__in=ids).order_by("sort", "code"))


def reissuable(round_: PayoutRound) -> QuerySet[Payout]:
    """Failed and returned lines not yet re-issued in a follow-up round."""
    return Payout.objects.filter(
        round=round_, excluded=False, result__in=[PayoutResult.FAILED, PayoutResult.RETURNED]
    ).exclude(reissues__isnull=False)


def payouts_of_person(user: Any, person: Any) -> QuerySet[Payout]:
    """The lines ``person`` has had in approved or closed rounds (a draft is not yet a payment;
    excluded lines were never theirs to receive), newest round first, as ``user`` may see them."""
    return (
        Payout.objects.visible_to(user)
        .filter(person=person, excluded=False)
        .exclude(round__status=RoundStatus.DRAFT)
        .select_related("round")
        .order_by("-round__year", "-round__created", "-id")
    )


@dataclass
class DistrictProgress:
    """One district's part of a draft round: its lines and whether it has confirmed and reported."""

    district: Region
    people: int
    total: Decimal
    report: DistrictReport | None


def district_progress(round_: PayoutRound, user: Any) -> list[DistrictProgress]:
    """区县确认上报, per district the user sees (the city: all, so it sees who has not reported)."""
    rows = {
        r["district_id"]: r
        for r in Payout.objects.visible_to(user)
        .filter(round=round_)
        .values("district_id")
        .annotate(n=Count("id", filter=Q(excluded=False)), total=Sum("amount", filter=Q(excluded=False)))
        .order_by()
    }
    reports = {
        r.district_id: r
        for r in DistrictReport.objects.filter(round=round_, district_id__in=rows).select_related("reported_by")
    }
    return [
        DistrictProgress(district=d, people=rows[d.pk]["n"], total=cents(rows[d.pk]["total"]), report=reports.get(d.pk))
        for d in Region.objects.filter(pk__in=rows).order_by("sort", "code")
    ]


def missing_bank_details(round_: PayoutRound, user: Any) -> PayoutQuerySet:
    """Included lines that can't go into a bank file for want of an account number or a bank:
    in a draft, the person's record (copied at approval) is read; afterwards, the frozen line's."""
    qs = payouts_for(user, round_).filter(excluded=False)
    if round_.status == RoundStatus.DRAFT:
        qs = qs.filter(Q(person__bank_account_encrypted="") | Q(person__bank_name=""))
    else:
        qs = qs.filter(result=PayoutResult.PENDING).filter(Q(bank_account_encrypted="") | Q(bank_name=""))
    return qs.select_related("person", "district").order_by("district__sort", "district__code", "id")
