"""健康体检 speed (PostgreSQL, 100,000 people): the due list page and the coverage figures.

    python bench/bench_trips_checkups.py [--db postgres|sqlite] [--size 10000] [--runs 200]
    python bench/bench_trips_checkups.py --size 100000          # the issue's size

Uses the database of bench_trips.py (laomo_bench_trips_<size>: people.demo seed 2026, built in
bulk; this year's campaign from trips.checkups.demo: a profile for everyone, ~30% of the due
booked). Timed in process through trips/checkups/selectors.py as the pages call it: the due list
page (count for the pager + the first 20 rows + their bookings), whole city, one district and
"not yet booked"; the coverage table for the city and for one district (city user with the
district filter, and a district user). Targets: due list p95 <= 200 ms; coverage p95 <= 500 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

from inproc import prepare_trips, report, run_bench, timed_calls, yinzhou_staff  # noqa: E402 - bench dir on the path

TARGET_DUE_MS = 200.0
TARGET_COVERAGE_MS = 500.0
PAGE = 20


def measure(size: int, runs: int) -> dict[str, Any]:
    from trips.checkups import selectors
    from trips.checkups.selectors import DueFilters

    campaign = selectors.current_campaign()
    assert campaign is not None
    district, city, local = yinzhou_staff()

    def due_page(user: Any, f: DueFilters) -> None:
        qs = selectors.due_list(user, campaign, f).select_related("person", "district")
        qs.count()
        selectors.due_page_rows(list(qs[:PAGE]), campaign)

    due_city = selectors.due_list(city, campaign).count()
    due_district = selectors.due_list(city, campaign, DueFilters(district=district)).count()
    times = {
        "due city": timed_calls(lambda: due_page(city, DueFilters()), runs),
        "due district": timed_calls(lambda: due_page(city, DueFilters(district=district)), runs),
        "due district user": timed_calls(lambda: due_page(local, DueFilters()), runs),
        "due unbooked": timed_calls(lambda: due_page(city, DueFilters(unbooked=True)), runs),
        "coverage city": timed_calls(lambda: selectors.coverage(city, campaign), max(20, runs // 4)),
        "coverage district": timed_calls(lambda: selectors.coverage(city, campaign, district), max(20, runs // 4)),
        "coverage district user": timed_calls(lambda: selectors.coverage(local, campaign), max(20, runs // 4)),
    }
    return {"times": times, "due_city": due_city, "due_district": due_district, "district": district.name}


def main() -> int:
    run = run_bench(
        HERE,
        __doc__,
        database="bench_trips_{size}",
        sized="people (the issue's size: 100000)",
        prepare=prepare_trips,
        measure=measure,
    )
    if run is None:
        return 0
    prepared, m = run.prepared, run.measured
    print(f"due this campaign: {m['due_city']:,} in the city, {m['due_district']:,} in {m['district']}")
    t = m["times"]
    ok = report(
        run.db,
        f"{prepared['people']:,} people",
        [
            ("due list page, city", t["due city"], TARGET_DUE_MS, "p95"),
            ("due list page, 鄞州区 filter", t["due district"], TARGET_DUE_MS, "p95"),
            ("due list page, 鄞州区 user", t["due district user"], TARGET_DUE_MS, "p95"),
            ("due list page, not booked", t["due unbooked"], TARGET_DUE_MS, "p95"),
            ("coverage, city", t["coverage city"], TARGET_COVERAGE_MS, "p95"),
            ("coverage, 鄞州区 filter", t["coverage district"], TARGET_COVERAGE_MS, "p95"),
            ("coverage, 鄞州区 user", t["coverage district user"], TARGET_COVERAGE_MS, "p95"),
        ],
    )
    return run.exit_code(ok)


if __name__ == "__main__":
    sys.exit(main())
