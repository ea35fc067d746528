"""困难帮扶 speed (issue 12, PostgreSQL): the hardship file list, the overdue re-check list and the
yearly figures over 100,000 people and 20,000 hardship files.

    python bench/bench_hardship.py [--db postgres|sqlite] [--size 10000] [--runs 200]
    python bench/bench_hardship.py --size 100000 --database bench_tidy    # the issue's size

The registry (people.demo, seed 2026, bulk) gets one hardship file for every fifth person
(20,000 at 100,000 people), written once in bulk and reused: spread over the districts, applied for
over the last six years; 80% filed (a tenth of those closed), the rest on the way through the steps.
Filed files have two or three help rows a year since filing and a re-check a year (earlier years
done; this year's due over the year, most of the past-due ones not done yet: the overdue list).
Each district gets a year of visits (one per file). Timed in process through
casework/hardship/selectors.py as the list pages call it (count for the pager + the first page of
20), as a city user and as a district user. Targets: lists p95 <= 50 ms; the yearly figures <= 1 s.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

from inproc import SEED, analyze, prepare_people, report, run_bench, timed_calls, yinzhou_staff  # noqa: E402 - bench dir on the path

TARGET_LIST_MS = 50.0
TARGET_FIGURES_MS = 1000.0
PAGE = 20
FILES_PER_PERSON = 0.2


def build_files(size: int) -> dict[str, Any]:
    """Hardship files, help, re-checks and visits in bulk (one transaction)."""
    import datetime as dt
    import random
    import time
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from casework.hardship import reference
    from casework.models.hardship import (
        STEP_ORDER,
        CareVisit,
        FileStatus,
        HardshipFile,
        HardshipTerm,
        HelpKind,
        HelpRecord,
        Occasion,
        Recheck,
        Step,
        TermKind,
    )
    from people.models import Person

    started = time.perf_counter()
    reference.load()
    rng = random.Random(SEED + 1250)
    today = timezone.localdate()
    people = list(Person.objects.filter(district__isnull=False).order_by("pk").values_list("pk", "district_id"))
    chosen = rng.sample(people, min(len(people), round(size * FILES_PER_PERSON)))
    categories = list(HardshipTerm.objects.filter(kind=TermKind.CATEGORY).values_list("pk", flat=True))
    kinds = [k for k, _label in HelpKind.choices]
    occasions = [o for o, _label in Occasion.choices]
    with transaction.atomic():
        files = []
        for n, (pid, did) in enumerate(chosen, 1):
            applied = today - dt.timedelta(days=rng.randint(20, 6 * 365))
            filed = rng.random() < 0.8 and (today - applied).days > 60
            closed = filed and rng.random() < 0.1
            files.append(
                HardshipFile(
                    person_id=pid,
                    district_id=did,
                    number=f"KN{applied.year}{n:06d}",
                    category_id=rng.choice(categories),
                    summary="家庭困难，需要帮扶",
                    step=Step.FILED if filed else rng.choice(STEP_ORDER[:-1]),
                    status=FileStatus.CLOSED if closed else FileStatus.OPEN,
                    applied_on=applied,
                    filed_on=applied + dt.timedelta(days=40) if filed else None,
                    closed_on=today - dt.timedelta(days=rng.randint(1, 700)) if closed else None,
                    close_reason="relieved" if closed else "",
                )
            )
        HardshipFile.objects.bulk_create(files, batch_size=5000)
        help_rows: list[HelpRecord] = []
        rechecks: list[Recheck] = []
        visits: list[CareVisit] = []
        for f in files:
            visits.append(
                CareVisit(
                    person_id=f.person_id,
                    district_id=f.district_id,
                    occasion=rng.choice(occasions),
                    visited_on=today - dt.timedelta(days=rng.randint(0, 365)),
                )
            )
            if f.filed_on is None:
                continue
            last = f.closed_on or today
            for year in range(f.filed_on.year, last.year + 1):
                for _k in range(rng.randint(2, 3)):
                    given = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                    if f.filed_on <= given <= last:
                        kind = rng.choice(kinds)
                        help_rows.append(
                            HelpRecord(
                                file_id=f.pk,
                                kind=kind,
                                amount=Decimal(rng.choice([300, 500, 800, 1000, 1500, 2000])),
                                given_on=given,
                                source="市总工会帮扶资金",
                                giver="市劳模工匠协会",
                            )
                        )
                if year == f.filed_on.year or (f.closed_on is not None and year > f.closed_on.year):
                    continue
                due = dt.date(year, f.filed_on.month, min(f.filed_on.day, 28))
                done = year < today.year or (due < today and rng.random() < 0.6)
                note = "复核通过" if done else ""
                rechecks.append(Recheck(file_id=f.pk, year=year, due=due, done_on=due if done else None, note=note))
        HelpRecord.objects.bulk_create(help_rows, batch_size=5000)
        Recheck.objects.bulk_create(rechecks, batch_size=5000)
        CareVisit.objects.bulk_create(visits, batch_size=5000)
    analyze(HardshipFile._meta.db_table, HelpRecord._meta.db_table, Recheck._meta.db_table, CareVisit._meta.db_table)
    return {
        "files": len(files),
        "help": len(help_rows),
        "rechecks": len(rechecks),
        "visits": len(visits),
        "files_seconds": round(time.perf_counter() - started, 1),
    }


def prepare(size: int) -> dict[str, Any]:
    from casework.models.hardship import HardshipFile

    result: dict[str, Any] = {}
    prepare_people(size, result)
    if not HardshipFile.objects.exists():
        result.update(build_files(size))
    result["files"] = HardshipFile.objects.count()
    return result


def measure(size: int, runs: int) -> dict[str, Any]:
    from django.utils import timezone

    from casework.hardship import selectors
    from casework.models.hardship import Step

    _district, city, local = yinzhou_staff()
    year = timezone.localdate().year

    def page(qs: Any) -> None:
        qs.count()
        list(qs[:PAGE])

    def files(user: Any, **params: Any) -> None:
        page(selectors.files_for(user, params))

    def overdue(user: Any) -> None:
        page(selectors.rechecks_for(user, overdue_only=True))

    counts = {
        "files": selectors.files_for(city).count(),
        "files district": selectors.files_for(local).count(),
        "overdue": selectors.rechecks_for(city, overdue_only=True).count(),
        "overdue district": selectors.rechecks_for(local, overdue_only=True).count(),
    }
    few = max(5, runs // 20)
    times = {
        "files city": timed_calls(lambda: files(city), runs),
        "files district": timed_calls(lambda: files(local), runs),
        "files district open filed": timed_calls(lambda: files(local, status="open", step=Step.FILED), runs),
        "files district verify": timed_calls(lambda: files(local, step=Step.VERIFY), runs),
        "files district search": timed_calls(lambda: files(local, q="张"), runs),
        "files city closed": timed_calls(lambda: files(city, status="closed"), runs),
        "overdue city": timed_calls(lambda: overdue(city), runs),
        "overdue district": timed_calls(lambda: overdue(local), runs),
        "figures city": timed_calls(lambda: selectors.figures(city, year=year), few, warmup=1),
        "figures district": timed_calls(lambda: selectors.figures(local, year=year), few, warmup=1),
        "figures all years": timed_calls(lambda: selectors.figures(city), few, warmup=1),
    }
    return {"times": times, "counts": counts}


def main() -> int:
    run = run_bench(
        HERE,
        __doc__,
        database="bench_hardship_{size}",
        sized="people (the issue's size: 100000); a fifth of them get a hardship file",
        prepare=prepare,
        measure=measure,
    )
    if run is None:
        return 0
    p, m = run.prepared, run.measured
    print(
        f"{p['files']:,} files, {p.get('help', '?')} help rows, {p.get('rechecks', '?')} re-checks;"
        f" lists (city / 鄞州区): files {m['counts']['files']:,} / {m['counts']['files district']:,},"
        f" overdue re-checks {m['counts']['overdue']:,} / {m['counts']['overdue district']:,}"
    )
    t = m["times"]
    rows = f"{p['people']:,} people"
    ok = report(
        run.db,
        rows,
        [
            ("file list, city", t["files city"], TARGET_LIST_MS, "p95"),
            ("file list, 鄞州区 user", t["files district"], TARGET_LIST_MS, "p95"),
            ("file list, 鄞州区 open+filed", t["files district open filed"], TARGET_LIST_MS, "p95"),
            ("file list, 鄞州区 step 基层核实", t["files district verify"], TARGET_LIST_MS, "p95"),
            ("file list, 鄞州区 name search", t["files district search"], TARGET_LIST_MS, "p95"),
            ("file list, city closed", t["files city closed"], TARGET_LIST_MS, "p95"),
            ("overdue re-checks, city", t["overdue city"], TARGET_LIST_MS, "p95"),
            ("overdue re-checks, 鄞州区 user", t["overdue district"], TARGET_LIST_MS, "p95"),
            ("yearly figures, city", t["figures city"], TARGET_FIGURES_MS, "max"),
            ("yearly figures, 鄞州区 user", t["figures district"], TARGET_FIGURES_MS, "max"),
            ("figures all years, city", t["figures all years"], TARGET_FIGURES_MS, "max"),
        ],
    )
    return run.exit_code(ok)


if __name__ == "__main__":
    sys.exit(main())
