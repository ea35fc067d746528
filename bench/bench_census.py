"""The census import at scale: a 100,000-row workbook read, validated and committed, on PostgreSQL
and SQLite, against django-import-export 4.4 (a plain ModelResource) as the baseline.

    python bench/bench_census.py                       # 100,000 rows, both databases
    python bench/bench_census.py --db postgres --size 20000 --baseline-rows 5000 --repeat 5

Each measurement runs in its own process (figures include Django's start-up memory; peak memory
is that process's ru_maxrss). The baseline gets every advantage we could give it: its rows come
ready-made in a tablib Dataset (no file to read), the ID hash is precomputed for it to match on,
and it checks nothing but Django's own field conversion. It runs on the first ``--baseline-rows``
rows (default 20,000: at ~1,000 rows/s the whole file would take minutes; its rate is flat).
Ours is ``census.services.import_file``, what 确认导入 runs: the file read, checked and written
in one pass and one transaction (the preview's check-only time is shown beside it). It runs
``--repeat`` times (default 3; the machine is shared): the table shows the median run's figures,
the best total, and the 1-minute load average around the runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    ROOT,
    database_url,
    ensure_postgres_database,
    remove_sqlite_database,
    run_inside,
    table,
)

HERE = Path(__file__).resolve()
DB_NAME = "laomo_bench_census"
AREAS = [
    ("330203", "海曙"),
    ("330205", "江北"),
    ("330206", "北仑"),
    ("330211", "镇海"),
    ("330212", "鄞州"),
    ("330213", "奉化"),
    ("330281", "余姚"),
    ("330282", "慈溪"),
    ("330225", "象山"),
    ("330226", "宁海"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国文红玉兵海波斌志宏亚林"
HONOURS = ["全国劳动模范", "浙江省劳动模范", "宁波市劳动模范", "浙江工匠", "港城工匠", "宁波市首席工人"]
EMPLOYERS = ["宁波港集团", "宁波精华电子科技股份有限公司", "方太集团", "吉利汽车", "宁波银行", "雅戈尔集团"]
HEADERS = [
    "姓名",
    "身份证号",
    "性别",
    "出生日期",
    "区县(市)",
    "工作单位",
    "职务/岗位",
    "手机号",
    "荣誉称号",
    "状态",
    "地址",
]


def make_rows(size: int) -> list[list[Any]]:
    from core.idnumber import check_char

    rng = random.Random(2026)
    start = dt.date(1950, 1, 1)
    rows = []
    for i in range(size):
        birth = start + dt.timedelta(days=i % 18000)
        seq = 100 + i // 18000 * 2 + rng.randint(0, 1)
        area, district = AREAS[i % len(AREAS)]
        first = f"{area}{birth:%Y%m%d}{seq:03d}"
        number = first + check_char(first)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        honour = rng.choice(HONOURS)
        rows.append(
            [
                name,
                number,
                "男" if seq % 2 else "女",
                f"{birth:%Y-%m-%d}",
                district,
                rng.choice(EMPLOYERS),
                "技师",
                f"13{rng.randint(100000000, 999999999)}",
                f"{honour}（{rng.randint(1990, 2024)}）",
                rng.choice(("在职", "退休")),
                f"宁波市{district}区某路{i % 500 + 1}号",
            ]
        )
    return rows


def write_workbook(path: Path, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("普查")
    ws.append(["2026年度劳模工匠普查（基准测试）"])
    ws.append(HEADERS)
    for row in rows:
        cell = WriteOnlyCell(ws, value=row[1])
        cell.number_format = "@"
        ws.append([row[0], cell, *row[2:]])
    wb.save(path)


# ------------------------------------------------------------------ inside a Django process


def _setup() -> None:
    import django

    # Background work runs as in production (queued for db_worker), not inline: registering
    # people queues technical help's match-profile refresh (assistance.hooks.on_person_changed),
    # which is not part of the import.
    os.environ.setdefault("LAOMO_TASKS", "database")
    django.setup()


def inside_prepare() -> dict[str, Any]:
    from django.core.management import call_command

    from core.reference.loader import load_all_reference

    call_command("migrate", verbosity=0)
    load_all_reference()
    _clerk()
    return {"ok": True}


def _clerk() -> Any:
    """The signed-in city clerk who imports: a real user, so the audit entries name (and reference)
    her and the importer checks her scope."""
    from core.models import Role, RoleAssignment, User

    clerk, made = User.objects.get_or_create(username="bench_clerk", defaults={"first_name": "基准"})
    if made:
        RoleAssignment.objects.create(user=clerk, role=Role.CITY_STAFF)
    return clerk


def _clear_people() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE people_personnametoken, people_honour, people_person RESTART IDENTITY CASCADE")
        else:
            for t in ("people_personnametoken", "people_honour", "people_person"):
                cursor.execute(f"DELETE FROM {t}")  # noqa: S608 - fixed table names


def inside_ours(path: str) -> dict[str, Any]:
    """The import as the commit job runs it: checked and written in one pass, one transaction."""
    from census import services
    from people.models import Person

    _clear_people()
    data = Path(path).read_bytes()
    clerk = _clerk()
    started = time.perf_counter()
    validation, counts = services.import_file(actor=clerk, data=data, filename=Path(path).name)
    done = time.perf_counter()
    if counts is None:
        return {"error": validation.report()["errors"][:5]}
    return {
        "rows": validation.total_rows,
        "total_s": done - started,
        "counts": counts,
        "people": Person.objects.count(),
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def inside_preview(path: str) -> dict[str, Any]:
    """The preview before it: the whole file read and checked against an empty registry."""
    from census.importer import validate_file

    _clear_people()
    data = Path(path).read_bytes()
    clerk = _clerk()
    started = time.perf_counter()
    validation = validate_file(data, Path(path).name, actor=clerk)
    return {"total_s": time.perf_counter() - started, "counts": validation.counts()}


def inside_again(path: str) -> dict[str, Any]:
    """The same file imported a second time: every row unchanged, nothing written but the summary."""
    from census import services

    data = Path(path).read_bytes()
    clerk = _clerk()
    started = time.perf_counter()
    _validation, counts = services.import_file(actor=clerk, data=data, filename=Path(path).name)
    return {"total_s": time.perf_counter() - started, "counts": counts}


def inside_baseline(size: str, count: str) -> dict[str, Any]:
    import tablib
    from import_export import resources

    from core import crypto
    from core.models import Region
    from people.models import Person

    _clear_people()
    rows = make_rows(int(size))[: int(count)]
    districts = {r.short_name: r.pk for r in Region.objects.filter(kind="district")}

    class PersonResource(resources.ModelResource):
        class Meta:
            model = Person
            fields = (
                "id_number_hash",
                "name",
                "gender",
                "birth_date",
                "employer",
                "post",
                "mobile",
                "address",
                "status",
                "region",
                "district",
            )
            import_id_fields = ("id_number_hash",)

    status = {"在职": "working", "退休": "retired"}
    dataset = tablib.Dataset(headers=list(PersonResource.Meta.fields))
    for r in rows:
        d = districts[r[4]]
        dataset.append(
            [
                crypto.keyed_hash(r[1]),
                r[0],
                "M" if r[2] == "男" else "F",
                r[3],
                r[5],
                r[6],
                r[7],
                r[10],
                status[r[9]],
                d,
                d,
            ]
        )
    started = time.perf_counter()
    result = PersonResource().import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
    elapsed = time.perf_counter() - started
    return {
        "rows": len(rows),
        "total_s": elapsed,
        "errors": result.has_errors(),
        "people": Person.objects.count(),
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# ------------------------------------------------------------------ the outer process


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of our import; the median and best are shown")
    args = parser.parse_args()
    path = ROOT / "var" / f"bench_census_{args.size}.xlsx"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        started = time.perf_counter()
        write_workbook(path, make_rows(args.size))
        print(f"wrote {path.name} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f}s")
    results = []
    for kind in ("postgres", "sqlite") if args.db == "both" else (args.db,):
        url = database_url(kind, DB_NAME)
        if kind == "postgres":
            ensure_postgres_database(DB_NAME, recreate=True)
        else:
            remove_sqlite_database(url)
        run_inside(HERE, url, "prepare")
        preview = run_inside(HERE, url, "preview", str(path))
        runs = []
        for _ in range(args.repeat):
            load_before = os.getloadavg()[0]
            run = run_inside(HERE, url, "ours", str(path))
            if "error" in run:
                print(json.dumps(run, ensure_ascii=False))
                return 1
            run["load"] = (load_before, os.getloadavg()[0])
            runs.append(run)
        runs.sort(key=lambda r: r["total_s"])
        best, ours = runs[0], runs[len(runs) // 2]  # ours: the median run
        again = run_inside(HERE, url, "again", str(path))
        base = run_inside(HERE, url, "baseline", str(args.size), str(min(args.baseline_rows, args.size)))
        ours_rate = ours["rows"] / ours["total_s"]
        best_rate = best["rows"] / best["total_s"]
        base_rate = base["rows"] / base["total_s"]
        loads = [x for r in runs for x in r["load"]]
        results.append(
            [
                kind,
                f"{ours['rows']:,}",
                f"{ours['total_s']:.2f}",
                f"{best['total_s']:.2f}",
                f"{ours_rate:,.0f}",
                f"{max(r['maxrss_mb'] for r in runs):.0f}",
                f"{preview['total_s']:.2f}",
                f"{again['total_s']:.2f} ({again['counts']['unchanged']:,} unchanged)",
                f"{base['rows']:,} in {base['total_s']:.1f}s",
                f"{base_rate:,.0f}",
                f"{ours_rate / base_rate:.1f}x / {best_rate / base_rate:.1f}x",
                f"{min(loads):.1f}–{max(loads):.1f}",
            ]
        )
        details = {"db": kind, "runs": runs, "preview": preview, "again": again, "baseline": base}
        print(json.dumps(details, ensure_ascii=False, default=str))
    print()
    print(
        table(
            [
                "db",
                "rows",
                "import s (median)",
                "best s",
                "rows/s (median)",
                "peak MB",
                "preview s",
                "re-import s",
                "baseline",
                "baseline rows/s",
                "ratio median / best",
                "load avg",
            ],
            results,
        )
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--inside":
        _setup()
        action, rest = sys.argv[2], sys.argv[3:]
        actions: dict[str, Any] = {
            "prepare": inside_prepare,
            "ours": inside_ours,
            "preview": inside_preview,
            "again": inside_again,
            "baseline": inside_baseline,
        }
        out = actions[action](*rest)
        print(json.dumps(out, ensure_ascii=False, default=str))
        sys.exit(0)
    sys.exit(main())
