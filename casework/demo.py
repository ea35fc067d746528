"""Demo data: each part's (hardship, petitions), in order."""

from typing import Any

from casework.parts import PARTS
from core import extensions as core_points


@core_points.demo_data
def build(*, size: int, seed: int, stdout: Any) -> None:
    PARTS.call("demo", "build", size=size, seed=seed, stdout=stdout)
