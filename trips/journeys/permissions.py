"""trips.journeys: role -> permissions (joined by ``trips/permissions.py``)."""

ROLES: dict[str, frozenset[str]] = {}
