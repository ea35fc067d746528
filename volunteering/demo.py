"""Demo data: each part's (teams, incidents, operations), in order."""

from typing import Any

from core import extensions as core_points
from volunteering.incidents import demo as incidents_demo
from volunteering.operations import demo as operations_demo
from volunteering.teams import demo as teams_demo


@core_points.demo_data
def build(*, size: int, seed: int, stdout: Any) -> None:
    teams_demo.build(size=size, seed=seed, stdout=stdout)
    incidents_demo.build(size=size, seed=seed, stdout=stdout)
    operations_demo.build(size=size, seed=seed, stdout=stdout)
