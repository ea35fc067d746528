"""信访 speed (issue 12, PostgreSQL): the work lists (已超期 / 即将到期) and the figures over
100,000 cases.

    python bench/bench_casework.py [--db postgres|sqlite] [--size 10000] [--runs 200]
    python bench/bench_casework.py --size 100000          # the issue's size

``--size`` cases are written once in bulk (bulk_create, seed 2026) into laomo_bench_casework_<size>
and reused: spread over the districts and the channels, received over the last five years; those
of the last 75 days 90% open, the older ones closed but for a 2% backlog (at 100,000: ~5,500
open, ~2,600 overdue, ~250 due within 3 working days). No people are needed: a case
names its petitioner. Timed in process, through casework/petitions/selectors.py as the list page
calls it (count for the pager + the first page of 20), as a city user and as a district user.
Targets: each work list p95 <= 50 ms; the figures page's selector (``selectors.figures``: received
per district, per month, per category, on-time rates, satisfaction) <= 1 s, for last year (about a
fifth of the cases) and for all years; and the counts the list page shows, one per tab.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

from inproc import SEED, analyze, report, run_bench, timed_calls, yinzhou_staff  # noqa: E402 - bench dir on the path

TARGET_LIST_MS = 50.0
TARGET_FIGURES_MS = 1000.0
PAGE = 20


def build_cases(size: int) -> float:
    import datetime as dt
    import random

    from django.utils import timezone

    from casework.models import PetitionCase, PetitionChannel, PetitionStatus, Satisfaction
    from core.models import Region, RegionKind

    rng = random.Random(SEED + 1200)
    today = timezone.localdate()
    districts = list(Region.objects.filter(kind=RegionKind.DISTRICT).order_by("code").values_list("pk", flat=True))
    channels = [c for c, _label in PetitionChannel.choices]
    started = time.perf_counter()
    batch: list[PetitionCase] = []
    for n in range(size):
        # Five years of cases (about 55 a day at 100,000): the recent ones mostly open, the
        # older ones closed but for a 2% backlog, which is what makes the 已超期 list.
        received = today - dt.timedelta(days=rng.randint(0, 5 * 365))
        recent = (today - received).days <= 75
        closed = rng.random() < (0.1 if recent else 0.98)
        due = received + dt.timedelta(days=60)
        status = PetitionStatus.CLOSED if closed else rng.choice([PetitionStatus.RECEIVED, PetitionStatus.HANDLING])
        batch.append(
            PetitionCase(
                number=f"XF{received.year}{n:07d}",
                channel=rng.choice(channels),
                name=f"信访人{n}",
                matter="反映劳模待遇落实问题",
                district_id=rng.choice(districts),
                received_on=received,
                notice_due=received + dt.timedelta(days=15),
                due=due,
                status=status,
                closed_on=min(today, received + dt.timedelta(days=rng.randint(5, 60))) if closed else None,
                satisfaction=rng.choice([s for s, _l in Satisfaction.choices]) if closed else "",
            )
        )
        if len(batch) == 5000:
            PetitionCase.objects.bulk_create(batch)
            batch = []
    PetitionCase.objects.bulk_create(batch)
    analyze(PetitionCase._meta.db_table)
    return round(time.perf_counter() - started, 1)


def prepare(size: int) -> dict[str, Any]:
    from django.core.management import call_command

    from casework.models import PetitionCase
    from core.reference.loader import load_all_reference

    call_command("migrate", verbosity=0)
    load_all_reference()
    result: dict[str, Any] = {"cases": PetitionCase.objects.count()}
    if result["cases"] == 0:
        result["cases_seconds"] = build_cases(size)
        result["cases"] = PetitionCase.objects.count()
    return result


def measure(size: int, runs: int) -> dict[str, Any]:
    from django.utils import timezone

    from casework.petitions import selectors
    from casework.petitions.views import VIEWS

    _district, city, local = yinzhou_staff()

    def page(user: Any, view: str) -> None:
        qs = selectors.work_list(user, view)
        qs.count()
        list(qs[:PAGE])

    last_year = timezone.localdate().year - 1

    def tab_counts() -> None:
        for view, _label in VIEWS:
            selectors.work_list(city, view).count()

    counts = {view or "all": selectors.work_list(city, view).count() for view, _label in VIEWS}
    times = {
        "overdue city": timed_calls(lambda: page(city, "overdue"), runs),
        "due_soon city": timed_calls(lambda: page(city, "due_soon"), runs),
        "overdue district": timed_calls(lambda: page(local, "overdue"), runs),
        "due_soon district": timed_calls(lambda: page(local, "due_soon"), runs),
        "figures year": timed_calls(lambda: selectors.figures(city, year=last_year), max(5, runs // 20), warmup=1),
        "figures all": timed_calls(lambda: selectors.figures(city), max(5, runs // 20), warmup=1),
        "tab counts": timed_calls(tab_counts, max(5, runs // 20), warmup=1),
    }
    return {"times": times, "counts": counts, "year": last_year}


def main() -> int:
    run = run_bench(
        HERE,
        __doc__,
        database="bench_casework_{size}",
        sized="cases (the issue's size: 100000)",
        prepare=prepare,
        measure=measure,
    )
    if run is None:
        return 0
    prepared, m = run.prepared, run.measured
    print(f"cases per tab (city): {json.dumps(m['counts'])}")
    t = m["times"]
    rows = f"{prepared['cases']:,} cases"
    ok = report(
        run.db,
        rows,
        [
            ("已超期 list page, city", t["overdue city"], TARGET_LIST_MS, "p95"),
            ("即将到期 list page, city", t["due_soon city"], TARGET_LIST_MS, "p95"),
            ("已超期 list page, 鄞州区", t["overdue district"], TARGET_LIST_MS, "p95"),
            ("即将到期 list page, 鄞州区", t["due_soon district"], TARGET_LIST_MS, "p95"),
            (f"figures {m['year']}, city", t["figures year"], TARGET_FIGURES_MS, "max"),
            ("figures, all years, city", t["figures all"], TARGET_FIGURES_MS, "max"),
            ("tab counts, city", t["tab counts"], TARGET_FIGURES_MS, "max"),
        ],
    )
    return run.exit_code(ok)


if __name__ == "__main__":
    sys.exit(main())
