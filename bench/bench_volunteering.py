"""Volunteering speed (PostgreSQL, 100,000 people): proposing 50 people for a need, and sending a
call-out to 2,000 people in the worker (one SMS and one in-app message each).

    python bench/bench_volunteering.py [--db postgres|sqlite] [--size 100000] [--runs 200]

The registry is built once with people.demo (seed 2026) into laomo_volcore_bench and reused
while its size matches; the teams demo adds teams. Targets: proposal p95 <= 100 ms; call-out to
2,000 people <= 5 s (``notify_called``, what the background job runs).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

from common import (  # noqa: E402 - the bench directory is put on the path just above
    ROOT,
    database_url,
    ensure_postgres_database,
    percentile,
    run_inside,
    table,
)

DB_NAME = "volcore_bench"
SEED = 2026
TARGET_MS = 100.0
TARGET_CALLOUT_S = 5.0
CALLOUT_SIZE = 2000
NEEDS = [
    ("electric", "330212"),
    ("repair", "330203"),
    ("medical", "330282"),
    ("plumbing", "330281"),
    ("agri", "330226"),
]


def inside(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    command, size = argv[0], int(argv[1])
    if command == "prepare":
        call_command("migrate", verbosity=0)
        from core.reference.loader import load_all_reference
        from people import demo as people_demo
        from people.models import Person
        from volunteering.teams import demo as teams_demo

        load_all_reference()
        result: dict[str, Any] = {"people": Person.objects.count()}
        if result["people"] == 0:
            started = time.perf_counter()
            people_demo.build(size=size, seed=SEED, stdout=None)
            result["people_seconds"] = round(time.perf_counter() - started, 1)
            result["people"] = Person.objects.count()

        class Out:
            def write(self, text: str) -> None:
                result["teams"] = text.strip()

        teams_demo.build(size=size, seed=SEED, stdout=Out())
        print(json.dumps(result, ensure_ascii=False))
    elif command == "measure":
        runs = int(argv[2])
        from django.db import transaction
        from django.utils import timezone

        from core.models import Region
        from people.models import Person
        from volunteering.incidents import services
        from volunteering.incidents.messages import notify_called
        from volunteering.incidents.proposal import propose
        from volunteering.models import Incident, Specialty

        with transaction.atomic():
            incident = Incident.objects.create(title="bench", kind="typhoon", started=timezone.now())
            needs = []
            for code, district in NEEDS:
                d = Region.objects.get(code=district)
                street = Region.objects.filter(parent=d, kind="street").first()
                needs.append(
                    services.create_need(
                        actor=None,
                        incident=incident,
                        region=street or d,
                        place="bench",
                        specialty=Specialty.objects.get(code=code),
                        people_needed=50,
                    )
                )
            for need in needs:
                propose(need, limit=50)
            times, counts = [], []
            for n in range(runs):
                started = time.perf_counter()
                counts.append(len(propose(needs[n % len(needs)], limit=50)))
                times.append((time.perf_counter() - started) * 1000)
            ids = list(Person.objects.available().order_by("pk").values_list("pk", flat=True)[:CALLOUT_SIZE])
            callout = services.send_callout(actor=None, need=needs[0], person_ids=ids[:1])
            # The job's work for 2,000: rows first (the request), then the messages (the worker).
            from volunteering.models import CallOutAnswer

            CallOutAnswer.objects.bulk_create([CallOutAnswer(callout=callout, person_id=p) for p in ids[1:]])
            started = time.perf_counter()
            notified = notify_called(callout)
            callout_seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        print(
            json.dumps({"times": times, "min": min(counts), "callout_seconds": callout_seconds, "notified": notified})
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.inside:
        inside(rest)
        return 0
    url = database_url(args.db, DB_NAME)
    if args.db == "postgres":
        ensure_postgres_database(DB_NAME)
    started = time.perf_counter()
    prepared = run_inside(HERE, url, "prepare", str(args.size))
    print(f"prepared in {time.perf_counter() - started:.0f}s: {json.dumps(prepared, ensure_ascii=False)}", flush=True)
    measured = run_inside(HERE, url, "measure", str(args.size), str(args.runs))
    times = measured["times"]
    p50, p95 = percentile(times, 50), percentile(times, 95)
    seconds = measured["callout_seconds"]
    print(
        table(
            ["what", "db", "people", "runs", "p50", "p95 / time", "target", "ratio"],
            [
                [
                    "propose 50",
                    args.db,
                    f"{prepared['people']:,}",
                    len(times),
                    f"{p50:.1f} ms",
                    f"{p95:.1f} ms",
                    "100 ms",
                    f"{p95 / TARGET_MS:.2f}",
                ],
                [
                    "call-out 2,000 (worker)",
                    args.db,
                    f"{prepared['people']:,}",
                    1,
                    "",
                    f"{seconds:.2f} s",
                    "5 s",
                    f"{seconds / TARGET_CALLOUT_S:.2f}",
                ],
            ],
        )
    )
    return 0 if args.db != "postgres" or (p95 <= TARGET_MS and seconds <= TARGET_CALLOUT_S) else 1


if __name__ == "__main__":
    sys.exit(main())
