"""trips.checkups: deterministic demo data (called by ``trips/demo.py``)."""

from typing import Any


def build(*, size: int, seed: int, stdout: Any) -> None:
    pass
