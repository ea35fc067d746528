"""casework.petitions: deterministic demo data (called by ``casework/demo.py``)."""

from typing import Any


def build(*, size: int, seed: int, stdout: Any) -> None:
    pass
