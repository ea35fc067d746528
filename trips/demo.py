"""Demo data: each part's (journeys, checkups), in order."""

from typing import Any

from core import extensions as core_points
from trips.parts import PARTS


@core_points.demo_data
def build(*, size: int, seed: int, stdout: Any) -> None:
    PARTS.call("demo", "build", size=size, seed=seed, stdout=stdout)
