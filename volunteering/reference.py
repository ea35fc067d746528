"""Reference data: each part's (teams, incidents, operations)."""

from core import extensions as core_points
from volunteering.parts import PARTS


@core_points.reference_data
def load() -> None:
    PARTS.call("reference", "load")
