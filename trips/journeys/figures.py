"""trips.journeys: figures, one selector per figure, scoped to the user (accepted places = people sent).

"First time" and "years since the last trip" are read from the nominations: a traveller's previous trip
is their latest accepted batch that started earlier; a traveller with no earlier batch but with trips
recorded before the system (``TravelHistory.trips`` above their accepted batches) is not a first-timer,
and counts in the average only through ``TravelHistory.last_trip_year`` when that is earlier."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractYear

from trips.checkups import selectors as checkups_selectors
from trips.journeys.rules import batch_days, rules_for
from trips.models import Batch, BatchCost, Nomination, NominationStatus, TravelHistory
from trips.models.checkups import CheckupCampaign


def sent(user: Any) -> QuerySet[Nomination]:
    return Nomination.objects.visible_to(user).filter(status=NominationStatus.ACCEPTED)


def sent_by_year(user: Any) -> list[tuple[int, int]]:
    rows = sent(user).annotate(y=ExtractYear("batch__start_date")).values("y").annotate(n=Count("id")).order_by("y")
    return [(r["y"], r["n"]) for r in rows]


def sent_by_district(user: Any, year: int) -> list[tuple[str, int]]:
    rows = (
        sent(user)
        .filter(batch__start_date__year=year)
        .values("district__name", "district__code")
        .annotate(n=Count("id"))
        .order_by("district__code")
    )
    return [(r["district__name"], r["n"]) for r in rows]


def sent_by_route(user: Any, year: int) -> list[tuple[str, int]]:
    rows = (
        sent(user)
        .filter(batch__start_date__year=year)
        .values("batch__route__name")
        .annotate(n=Count("id"))
        .order_by("-n", "batch__route__name")
    )
    return [(r["batch__route__name"], r["n"]) for r in rows]


def _previous_years(user: Any, year: int) -> list[int | None]:
    """For each traveller of ``year``: the year of their previous trip, 0 for a trip before the system
    of unknown year, None for a first trip."""
    this_year = list(sent(user).filter(batch__start_date__year=year).values_list("person_id", "batch__start_date"))
    people = {p for p, _s in this_year}
    history: dict[int, list[Any]] = defaultdict(list)
    for p, start in (
        Nomination.objects.filter(person_id__in=people, status=NominationStatus.ACCEPTED)
        .values_list("person_id", "batch__start_date")
        .order_by()
    ):
        history[p].append(start)
    recorded = dict(TravelHistory.objects.filter(person_id__in=people).values_list("person_id", "trips"))
    last_recorded = dict(TravelHistory.objects.filter(person_id__in=people).values_list("person_id", "last_trip_year"))
    out: list[int | None] = []
    for p, start in this_year:
        earlier = [s for s in history[p] if s < start]
        if earlier:
            out.append(max(earlier).year)
        elif recorded.get(p, 0) > len(history[p]):
            last = last_recorded.get(p)
            out.append(last if last is not None and last < year and last < min(history[p]).year else 0)
        else:
            out.append(None)
    return out


@dataclass
class Share:
    part: int
    whole: int

    @property
    def percent(self) -> float:
        return round(100 * self.part / self.whole, 1) if self.whole else 0.0


def first_time_share(user: Any, year: int) -> Share:
    prev = _previous_years(user, year)
    return Share(sum(1 for y in prev if y is None), len(prev))


def average_years_since_last(user: Any, year: int) -> float | None:
    """Among travellers of ``year`` who went before (in a known year): the mean gap in years."""
    gaps = [year - y for y in _previous_years(user, year) if y]
    return round(sum(gaps) / len(gaps), 1) if gaps else None


@dataclass
class SpendRow:
    batch: Batch
    travellers: int
    spent: Decimal
    cap: Decimal | None  # travellers x cap per day x days

    @property
    def over(self) -> bool:
        return self.cap is not None and self.spent > self.cap


def spending_against_caps(user: Any, year: int) -> list[SpendRow]:
    """Per batch of the year: travellers, money spent and the cap for them. Whole batches (costs are
    the city's, per batch), whoever asks."""
    batches = list(Batch.objects.filter(start_date__year=year).select_related("route").order_by("start_date", "id"))
    travellers = dict(
        Nomination.objects.filter(batch__in=batches, status=NominationStatus.ACCEPTED)
        .values_list("batch_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    spent = dict(
        BatchCost.objects.filter(batch__in=batches).values_list("batch_id").annotate(s=Sum("amount")).order_by()
    )
    cap_day = rules_for(year).cap_per_day
    rows = []
    for b in batches:
        n = travellers.get(b.pk, 0)
        cap = cap_day * batch_days(b) * n if cap_day is not None else None
        rows.append(SpendRow(b, n, spent.get(b.pk) or Decimal(0), cap))
    return rows


def checkup_coverage(user: Any, year: int) -> checkups_selectors.CoverageRow | None:
    """The year's check-up campaign, all the caller's districts: the total row of trips.checkups."""
    campaign = CheckupCampaign.objects.filter(year=year).first()
    if campaign is None:
        return None
    return checkups_selectors.coverage(user, campaign)[-1]
