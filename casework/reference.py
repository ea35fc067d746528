"""Reference data: each part's (hardship, petitions)."""

from casework.hardship import reference as hardship_reference
from casework.petitions import reference as petitions_reference
from core import extensions as core_points


@core_points.reference_data
def load() -> None:
    hardship_reference.load()
    petitions_reference.load()
