"""疗休养 speed (issue 14, PostgreSQL): the priority list of a district among 100,000 people.

    python bench/bench_trips.py [--db postgres|sqlite] [--size 10000] [--runs 200]
    python bench/bench_trips.py --size 100000          # the issue's size

The registry (people.demo, seed 2026, bulk) with travel histories and this year's check-up
campaign is built once into laomo_bench_trips_<size> (shared with bench_trips_checkups.py). The
district with the most available people is ranked (at 100,000 people: about 10,000 eligible),
through trips/journeys/selectors.priority_list as its callers ask: the batch page's preview (50),
a nomination for a 45-place quota (+5 waiting) and, for scale, the whole district.
Target: p95 <= 200 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

from inproc import analyze, prepare_trips, report, run_bench, timed_calls  # noqa: E402 - bench dir on the path

TARGET_MS = 200.0


def prepare_traveller_files(result: dict[str, Any]) -> None:
    """Travel files (on TravelHistory): front-line for about 30% of the working people, a health
    restriction for 2%; once."""
    import random

    from people.models import Person
    from trips.models import TravelHistory

    if TravelHistory.objects.filter(front_line=True).exists():
        return
    rng = random.Random(2026 + 1414)
    have = set(TravelHistory.objects.values_list("person_id", flat=True))
    new: list[Any] = []
    changed: list[Any] = []
    people = Person.objects.available().filter(status="working", district__isnull=False).order_by("pk")
    for pk, district in people.values_list("pk", "district_id"):
        front, sick = rng.random() < 0.3, rng.random() < 0.02
        if not (front or sick):
            continue
        row = TravelHistory(person_id=pk, district_id=district, front_line=front, health_restricted=sick)
        row.health_note = "高血压" if sick else ""
        (changed if pk in have else new).append(row)
    TravelHistory.objects.bulk_create(new, batch_size=5000)
    by_person = {r.person_id: r for r in changed}
    rows = list(TravelHistory.objects.filter(person_id__in=by_person))
    for r in rows:
        src = by_person[r.person_id]
        r.front_line, r.health_restricted, r.health_note = src.front_line, src.health_restricted, src.health_note
    TravelHistory.objects.bulk_update(rows, ["front_line", "health_restricted", "health_note"], batch_size=5000)
    analyze(TravelHistory._meta.db_table)
    result["traveller_files"] = len(new) + len(rows)


def prepare(size: int) -> dict[str, Any]:
    result = prepare_trips(size)
    prepare_traveller_files(result)
    return result


def measure(size: int, runs: int) -> dict[str, Any]:
    from django.db.models import Count
    from django.utils import timezone

    from core.models import Region
    from people.models import Person
    from trips.journeys import selectors
    from trips.journeys.services import WAITLIST_EXTRA

    year = timezone.localdate().year
    district_id, eligible = Person.objects.available().filter(district__isnull=False).values_list(
        "district_id"
    ).annotate(n=Count("id")).order_by("-n").first() or (None, 0)
    district = Region.objects.get(pk=district_id)
    listed = len(selectors.priority_list(district=district, year=year))
    times = {
        "preview": timed_calls(lambda: selectors.priority_list(district=district, year=year, limit=50), runs),
        "quota": timed_calls(
            lambda: selectors.priority_list(district=district, year=year, limit=45 + WAITLIST_EXTRA), runs
        ),
        "all": timed_calls(lambda: selectors.priority_list(district=district, year=year), max(10, runs // 10)),
    }
    return {"times": times, "district": district.name, "eligible": eligible, "listed": listed}


def main() -> int:
    run = run_bench(
        HERE,
        __doc__,
        database="bench_trips_{size}",
        sized="people (the issue's size: 100000)",
        prepare=prepare,
        measure=measure,
    )
    if run is None:
        return 0
    prepared, m = run.prepared, run.measured
    print(f"{m['district']}: {m['eligible']:,} available people, {m['listed']:,} on the priority list")
    t = m["times"]
    ok = report(
        run.db,
        f"{prepared['people']:,} people",
        [
            ("priority list: preview 50", t["preview"], TARGET_MS, "p95"),
            ("priority list: quota 45+5", t["quota"], TARGET_MS, "p95"),
            (f"priority list: all {m['listed']:,}", t["all"], TARGET_MS, "p95"),
        ],
    )
    return run.exit_code(ok)


if __name__ == "__main__":
    sys.exit(main())
