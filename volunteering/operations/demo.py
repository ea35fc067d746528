"""volunteering.operations: deterministic demo data (called by ``volunteering/demo.py``)."""

from typing import Any


def build(*, size: int, seed: int, stdout: Any) -> None:
    pass
