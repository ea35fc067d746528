from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from assistance.matching import refresh_profiles


class Command(BaseCommand):
    help = "Rebuild the matching profiles, term index and IDF table for everyone (run nightly)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = refresh_profiles()
        self.stdout.write(f"{count} profiles in {time.perf_counter() - started:.1f}s")
