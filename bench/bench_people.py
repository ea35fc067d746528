"""Registry speed over real HTTP: search by name, by pinyin initials, by ID tail, and the list
page with filters, on a 100,000-person registry (SQLite and PostgreSQL).

    python bench/bench_people.py [--db sqlite|postgres|both] [--size 100000] [--requests 200]

The registry is built once (people.demo, seed 2026) into var/bench_people.sqlite3 and the
PostgreSQL database laomo_bench_people, and reused while its size matches. A city staff account
signs in through the real login and TOTP pages; the app runs under gunicorn on 127.0.0.1. Also
counts the queries each page runs at 1,000 and at --size people (they must be equal).
Targets (PostgreSQL): search p95 <= 30 ms, list page p95 <= 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

from common import (  # noqa: E402 - the bench directory is put on the path just above
    ROOT,
    HttpClient,
    Server,
    database_url,
    ensure_postgres_database,
    percentile,
    remove_sqlite_database,
    run_inside,
    table,
    timed,
    totp,
)

DB_NAME = "bench_people"
SEED = 2026
SMALL = 1000
BENCH_USER = "bench_city"
BENCH_PASSWORD = "Bench-People-2026!"  # noqa: S105 - a throwaway account in the benchmark database
TARGETS = {"search": 30.0, "list": 100.0}


# --- inside: run with Django set up on the benchmark database ------------------------------


def inside(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    command = argv[0]
    if command == "prepare":
        call_command("migrate", verbosity=0)
        from people.models import Person

        print(json.dumps({"people": Person.objects.count()}))
    elif command == "build":
        started = time.perf_counter()
        call_command("demo_data", size=int(argv[1]), seed=SEED, only="core,people", verbosity=0)
        print(json.dumps({"seconds": round(time.perf_counter() - started, 1)}))
    elif command == "session":
        print(json.dumps(_session(requests=int(argv[1]))))
    else:
        raise SystemExit(f"unknown inside command {command}")


def _bench_user() -> tuple[Any, str]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.models import Role, User
    from core.services import assign_role, create_user

    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = create_user(actor=None, username=BENCH_USER, password=BENCH_PASSWORD, display_name="性能测试")
        assign_role(actor=None, user=user, role=Role.CITY_STAFF)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    # Codes are single-use per time step: forget the last one so a new run can sign in at once.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return user, device.key


def _paths(requests: int) -> dict[str, Any]:
    """The requests to time: terms drawn from the registry itself (deterministic)."""
    import random

    from core.models import Region
    from people.models import Level, Person, PersonStatus

    rng = random.Random(SEED)
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    picked = Person.objects.filter(pk__in=rng.sample(ids, min(requests, len(ids)))).order_by("pk")
    sample = list(picked.values_list("name", "name_initials", "id_last4"))
    while len(sample) < requests:
        sample += sample
    sample = sample[:requests]
    districts = list(Region.objects.filter(kind="district").order_by("code").values_list("pk", flat=True))
    combos = [
        (d, level, status)
        for d in districts
        for level in (Level.CITY, Level.PROVINCIAL)
        for status in (PersonStatus.WORKING, PersonStatus.RETIRED)
    ]

    def q(term: str) -> str:
        return "?" + urllib.parse.urlencode({"q": term})

    lists = ["?" + urllib.parse.urlencode({"district": d, "level": lv, "status": st}) for d, lv, st in combos]
    lists = [lists[i % len(lists)] for i in range(requests)]
    return {
        "search_name": [q(n) for n, _, _ in sample],
        "search_initials": [q(i) for _, i, _ in sample],
        "search_id_tail": [q(t) for _, _, t in sample],
        "list_filters": lists,
    }


def _an_hour_ago() -> Any:
    import datetime as dt

    from django.utils import timezone

    return timezone.now() - dt.timedelta(hours=1)


def _session(requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.models import ApiToken
    from core.services import issue_api_token
    from people.models import Person

    user, key = _bench_user()
    ApiToken.objects.filter(user=user, name="bench", revoked=False, created__lt=_an_hour_ago()).update(revoked=True)
    token = issue_api_token(actor=None, user=user, name="bench")
    paths = _paths(requests)

    # Query counts, in process (same code path as the server): one request of each kind.
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()
    counts: dict[str, int] = {}
    for kind, queries in paths.items():
        for prefix, base in (("page", "/people/"), ("api", "/api/people/people")):
            url = base + queries[0]
            client.get(url)  # warm caches (content types, sessions) first
            with CaptureQueriesContext(connection) as ctx:
                status = client.get(url).status_code
            counts[f"{prefix}:{kind}"] = len(ctx) if status == 200 else -status
    return {
        "people": Person.objects.count(),
        "totp_key": key,
        "token": token,
        "paths": paths,
        "queries": counts,
        "vendor": connection.vendor,
    }


# --- outside: build, serve, measure ---------------------------------------------------------


def prepare(kind: str, name: str, size: int) -> tuple[str, float | None]:
    """The database for ``size`` people, built if missing or of another size. Returns its URL
    and the build time (None when reused)."""
    url = database_url(kind, name)
    if kind == "postgres":
        ensure_postgres_database(name)
    people = run_inside(HERE, url, "prepare")["people"]
    if people == size:
        return url, None
    if people:
        print(f"  {kind}: {name} has {people} people, rebuilding for {size}", flush=True)
        if kind == "postgres":
            ensure_postgres_database(name, recreate=True)
        else:
            remove_sqlite_database(url)
        run_inside(HERE, url, "prepare")
    print(f"  {kind}: building {size:,} people into {name} ...", flush=True)
    seconds = run_inside(HERE, url, "build", str(size))["seconds"]
    print(f"  {kind}: built in {seconds} s", flush=True)
    return url, seconds


def sign_in(port: int, totp_key: str) -> HttpClient:
    client = HttpClient(port)
    client.get("/accounts/login/")
    csrf = client.cookies["csrftoken"]
    status, _ = client.post(
        "/accounts/login/", {"csrfmiddlewaretoken": csrf, "username": BENCH_USER, "password": BENCH_PASSWORD}
    )
    if status != 302:
        raise SystemExit(f"login answered {status}")
    csrf = client.cookies.get("csrftoken", csrf)
    status, _ = client.post("/accounts/otp/", {"csrfmiddlewaretoken": csrf, "token": totp(totp_key)})
    if status != 302:
        raise SystemExit(f"second factor answered {status}")
    status, _ = client.get("/people/")
    if status != 200:
        raise SystemExit(f"/people/ answered {status} after signing in")
    return client


def measure(kind: str, size: int, requests: int) -> dict[str, Any]:
    url, build_seconds = prepare(kind, DB_NAME if size != SMALL else f"{DB_NAME}_1k", size)
    small_url, _ = prepare(kind, f"{DB_NAME}_1k", SMALL)
    info = run_inside(HERE, url, "session", str(requests))
    small = run_inside(HERE, small_url, "session", "20")
    figures: dict[str, Any] = {"db": kind, "people": info["people"], "build_seconds": build_seconds, "rows": []}
    with Server(url) as server:
        page_client = sign_in(server.port, info["totp_key"])
        api_client = HttpClient(server.port, token=info["token"])
        for what, paths in info["paths"].items():
            target = TARGETS["list" if what.startswith("list") else "search"]
            for surface, client, base in (("page", page_client, "/people/"), ("api", api_client, "/api/people/people")):
                times = timed(client, [base + p for p in paths])
                p50, p95 = percentile(times, 50), percentile(times, 95)
                figures["rows"].append(
                    {
                        "what": f"{surface}:{what}",
                        "n": len(times),
                        "p50": round(p50, 1),
                        "p95": round(p95, 1),
                        "target": target,
                        "ratio": round(p95 / target, 2),
                        "queries_1k": small["queries"][f"{surface}:{what}"],
                        "queries_full": info["queries"][f"{surface}:{what}"],
                    }
                )
    return figures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = []
    for kind in kinds:
        print(f"\n== {kind}: {args.size:,} people, {args.requests} requests each ==", flush=True)
        figures = measure(kind, args.size, args.requests)
        results.append(figures)
        rows = [
            (
                r["what"],
                r["n"],
                f"{r['p50']:.1f}",
                f"{r['p95']:.1f}",
                f"{r['target']:.0f}",
                f"{r['ratio']:.2f}",
                f"{r['queries_1k']} / {r['queries_full']}",
                "ok" if r["queries_1k"] == r["queries_full"] else "DIFFERENT",
            )
            for r in figures["rows"]
        ]
        headers = ("request", "n", "p50 ms", "p95 ms", "target p95", "p95/target", "queries 1k / full", "same")
        print(table(headers, rows), flush=True)
    out = ROOT / "var" / "bench_people.json"
    out.write_text(json.dumps({"cpus": os.cpu_count(), "results": results}, ensure_ascii=False, indent=2))
    print(f"\nfigures written to {out.relative_to(ROOT)}")
    misses = [
        (f["db"], r["what"])
        for f in results
        if f["db"] == "postgres"
        for r in f["rows"]
        if r["ratio"] > 1 or r["queries_1k"] != r["queries_full"]
    ]
    if misses:
        print("misses on PostgreSQL: " + ", ".join(f"{what}" for _, what in misses))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--inside":
        inside(sys.argv[2:])
    else:
        sys.exit(main(sys.argv[1:]))
