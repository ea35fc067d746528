"""What the in-process benchmarks (casework, trips, checkups) share, on the Django side of
``--inside``: the registry built once with people.demo (the bulk path), staff users with a city or
a district scope, timing a call many times, and the outer side's table of figures.

Imported only inside the ``--inside`` subprocess (after ``django.setup()``) for the Django parts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import ROOT, database_url, ensure_postgres_database, percentile, run_inside, table

SEED = 2026


@dataclass
class Run:
    """One benchmark run, seen from the outer process: the command line, what ``prepare`` built and
    what ``measure`` timed (both returned as JSON by the ``--inside`` subprocess)."""

    db: str
    size: int
    runs: int
    prepared: dict[str, Any]
    measured: dict[str, Any]

    def exit_code(self, ok: bool) -> int:
        """0 unless a PostgreSQL run missed a target (SQLite runs are for trying the script out)."""
        return 0 if self.db != "postgres" or ok else 1


def run_bench(
    script: Path,
    doc: str | None,
    *,
    database: str,
    sized: str,
    prepare: Callable[[int], dict[str, Any]],
    measure: Callable[[int, int], dict[str, Any]],
) -> Run | None:
    """The command line and database set-up every in-process benchmark shares.

    ``--db postgres|sqlite --size N --runs N [--database NAME]``; the database is ``database``
    (a ``str.format`` pattern with ``{size}``) unless ``--database`` names another, built once and
    reused. The script runs itself twice with ``--inside`` (Django set up on that database):
    ``prepare(size)`` builds what is missing, ``measure(size, runs)`` times; each returns a dict.
    Returns None inside the subprocess (it has printed its JSON), else the :class:`Run`."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--size", type=int, default=10_000, help=sized)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database", default="", help=f"database name after laomo_ (default {database})")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.inside:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        command, size = rest[0], int(rest[1])
        emit(prepare(size) if command == "prepare" else measure(size, int(rest[2])))
        return None
    name = args.database or database.format(size=args.size)
    url = database_url(args.db, name)
    if args.db == "postgres":
        ensure_postgres_database(name)
    started = time.perf_counter()
    prepared = run_inside(script, url, "prepare", str(args.size))
    print(f"prepared in {time.perf_counter() - started:.0f}s: {json.dumps(prepared, ensure_ascii=False)}", flush=True)
    measured = run_inside(script, url, "measure", str(args.size), str(args.runs))
    return Run(args.db, args.size, args.runs, prepared, measured)


def prepare_people(size: int, result: dict[str, Any]) -> None:
    """Migrate, load the reference tables and build ``size`` people once (people.demo: COPY in bulk)."""
    from django.core.management import call_command

    from core.reference.loader import load_all_reference
    from people import demo as people_demo
    from people.models import Person

    call_command("migrate", verbosity=0)
    load_all_reference()
    result["people"] = Person.objects.count()
    if result["people"] == 0:
        started = time.perf_counter()
        people_demo.build(size=size, seed=SEED, stdout=None)
        result["people_seconds"] = round(time.perf_counter() - started, 1)
        result["people"] = Person.objects.count()


def staff(username: str, district: Any = None) -> Any:
    """A city staff user (``district`` None: sees everything) or a district staff user."""
    from core.models import Role, RoleAssignment, User

    user, created = User.objects.get_or_create(username=username)
    if created:
        role = Role.CITY_STAFF if district is None else Role.DISTRICT_STAFF
        RoleAssignment.objects.create(user=user, role=role, region=district)
    return User.objects.get(pk=user.pk)  # fresh: no cached scope


def yinzhou_staff() -> tuple[Any, Any, Any]:
    """鄞州区 (the largest district), a city staff user and a staff user of 鄞州区."""
    from core.models import Region

    district = Region.objects.get(code="330212")
    return district, staff("bench_city"), staff("bench_district", district)


def analyze(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for name in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")


def timed_calls(fn: Callable[[], object], runs: int, *, warmup: int = 3) -> list[float]:
    """Milliseconds per call of ``fn`` (after ``warmup`` calls for the plan cache)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def emit(data: dict[str, Any]) -> None:
    print(json.dumps(data, ensure_ascii=False))


def report(db: str, people: str, rows: Sequence[tuple[str, list[float], float, str]]) -> bool:
    """Print p50/p95/max and p95/target for each (what, times, target ms, measure); True if all met.
    ``measure`` is "p95" or "max" (a figure timed a few times: its worst run against the target)."""
    lines, ok = [], True
    for what, times, target, measure in rows:
        p50, p95, worst = percentile(times, 50), percentile(times, 95), max(times)
        judged = p95 if measure == "p95" else worst
        ok = ok and judged <= target
        lines.append(
            [
                what,
                db,
                people,
                len(times),
                f"{p50:.1f}",
                f"{p95:.1f}",
                f"{worst:.1f}",
                f"{measure} <= {target:.0f}",
                f"{judged / target:.2f}",
            ]
        )
    headers = ["what", "db", "rows", "runs", "p50 ms", "p95 ms", "max ms", "target ms", "ratio"]
    print(table(headers, lines), flush=True)
    return ok


def prepare_trips(size: int) -> dict[str, Any]:
    """The registry of ``size`` people, a travel history for about 60% of the available ones
    (last trip 1-10 years ago; 4% this year, so left off the list) and this year's check-up
    campaign as trips.checkups.demo builds it (profiles for everyone, slots, ~30% of the due
    booked). Built once into the database; later runs reuse it."""
    import random

    from django.utils import timezone

    from people.models import Person
    from trips.checkups import demo as checkups_demo
    from trips.models import TravelHistory
    from trips.models.checkups import CheckupBooking

    result: dict[str, Any] = {}
    prepare_people(size, result)
    year = timezone.localdate().year
    if not TravelHistory.objects.exists():
        started = time.perf_counter()
        rng = random.Random(SEED + 1400)
        rows = []
        for pk, district in (
            Person.objects.available().filter(district__isnull=False).order_by("pk").values_list("pk", "district_id")
        ):
            if rng.random() < 0.6:
                last = year if rng.random() < 0.04 else year - rng.randint(1, 10)
                rows.append(
                    TravelHistory(person_id=pk, district_id=district, last_trip_year=last, trips=rng.randint(1, 3))
                )
        TravelHistory.objects.bulk_create(rows, batch_size=5000)
        analyze(TravelHistory._meta.db_table)
        result["history_seconds"] = round(time.perf_counter() - started, 1)
    if not CheckupBooking.objects.exists():
        started = time.perf_counter()

        class Out:
            def write(self, text: str) -> None:
                result["checkups"] = text.strip()

        checkups_demo.build(size=size, seed=SEED, stdout=Out())
        from trips.models.checkups import CheckupProfile

        analyze(CheckupProfile._meta.db_table, CheckupBooking._meta.db_table)
        result["checkups_seconds"] = round(time.perf_counter() - started, 1)
    result["travel_histories"] = TravelHistory.objects.count()
    return result
