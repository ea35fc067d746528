"""Demo data: each part's (teams, incidents, operations), in order."""

from typing import Any

from core import extensions as core_points
from volunteering.parts import PARTS


@core_points.demo_data
def build(*, size: int, seed: int, stdout: Any) -> None:
    PARTS.call("demo", "build", size=size, seed=seed, stdout=stdout)
