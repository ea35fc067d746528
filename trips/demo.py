"""Demo data: each part's (journeys, checkups), in order."""

from typing import Any

from core import extensions as core_points
from trips.checkups import demo as checkups_demo
from trips.journeys import demo as journeys_demo


@core_points.demo_data
def build(*, size: int, seed: int, stdout: Any) -> None:
    journeys_demo.build(size=size, seed=seed, stdout=stdout)
    checkups_demo.build(size=size, seed=seed, stdout=stdout)
