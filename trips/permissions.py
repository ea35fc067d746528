"""Role -> permissions: the union of each part's (journeys, checkups)."""

from trips.parts import PARTS

PERMISSIONS = PARTS.permissions()
