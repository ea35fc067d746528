"""Build the demo: reference data, accounts, and each app's demo records (the ``demo_data``
extension point: ``<app>/demo.py`` ``build``).

Deterministic for a given --seed. ``--size`` is the number of people in the registry (2,293 by
default, the association's census count; 100,000 for benchmarks).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core import extensions
from core.models import AuditEntry
from core.reference.loader import load_all_reference

MARKER = "core.demo.loaded"


class Command(BaseCommand):
    help = "Load deterministic demo data (a realistic Ningbo registry and the work around it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=2293, help="people in the registry")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--once", action="store_true", help="do nothing if demo data was loaded before")
        parser.add_argument("--only", default="", help="comma-separated app labels to build (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"] and AuditEntry.objects.filter(action=MARKER).exists():
            self.stdout.write("demo data already loaded")
            return
        load_all_reference()
        only = {s.strip() for s in options["only"].split(",") if s.strip()}
        for config, build in extensions.demo_data.by_app():
            if only and config.label not in only:
                continue
            started = time.perf_counter()
            build(size=options["size"], seed=options["seed"], stdout=self.stdout)
            self.stdout.write(f"  {config.label}: {time.perf_counter() - started:.1f}s")
        AuditEntry.objects.create(action=MARKER, changes={"size": options["size"], "seed": options["seed"]})
        self.stdout.write(self.style.SUCCESS("demo data loaded"))
