"""Reference data: each part's (hardship, petitions)."""

from casework.parts import PARTS
from core import extensions as core_points


@core_points.reference_data
def load() -> None:
    PARTS.call("reference", "load")
