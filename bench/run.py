"""Run every benchmark (bench/bench_*.py) in its own process and print their figures.

    make bench                         # all, on SQLite and PostgreSQL
    make bench BENCH_ARGS="people"     # only bench_people.py
Each bench file is runnable alone: `python bench/bench_people.py --db postgres --size 100000`.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    failures = 0
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(path)], cwd=HERE.parent, check=False)
        print(f"=== {name}: exit {result.returncode} in {time.perf_counter() - started:.0f}s ===", flush=True)
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
