"""trips.journeys: role -> permissions (joined by ``trips/permissions.py``)."""

from core.models import Role

_WORK = frozenset({"trips.journeys_view", "trips.journeys_manage"})

ROLES: dict[str, frozenset[str]] = {Role.CITY_STAFF: _WORK, Role.DISTRICT_STAFF: _WORK}
