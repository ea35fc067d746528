"""Reference data: each part's (teams, incidents, operations)."""

from core import extensions as core_points
from volunteering.incidents import reference as incidents_reference
from volunteering.operations import reference as operations_reference
from volunteering.teams import reference as teams_reference


@core_points.reference_data
def load() -> None:
    teams_reference.load()
    incidents_reference.load()
    operations_reference.load()
