"""Demo data: each part's (hardship, petitions), in order."""

from typing import Any

from casework.hardship import demo as hardship_demo
from casework.petitions import demo as petitions_demo
from core import extensions as core_points


@core_points.demo_data
def build(*, size: int, seed: int, stdout: Any) -> None:
    hardship_demo.build(size=size, seed=seed, stdout=stdout)
    petitions_demo.build(size=size, seed=seed, stdout=stdout)
