"""Reference data: each part's (journeys, checkups)."""

from core import extensions as core_points
from trips.parts import PARTS


@core_points.reference_data
def load() -> None:
    PARTS.call("reference", "load")
