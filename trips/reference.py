"""Reference data: each part's (journeys, checkups)."""

from core import extensions as core_points
from trips.checkups import reference as checkups_reference
from trips.journeys import reference as journeys_reference


@core_points.reference_data
def load() -> None:
    journeys_reference.load()
    checkups_reference.load()
