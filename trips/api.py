"""REST API under ``/api/trips/``: each part's endpoints (journeys, checkups)."""

from trips.parts import PARTS

router = PARTS.router()
