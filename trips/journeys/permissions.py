"""trips.journeys: role -> permissions (joined by ``trips/permissions.py``).

``trips.journeys_plan``: the city's planning (routes catalogue, batches, district quotas, moving places).
"""

from core.models import Role

_WORK = frozenset({"trips.journeys_view", "trips.journeys_manage"})

ROLES: dict[str, frozenset[str]] = {
    Role.CITY_STAFF: _WORK | {"trips.journeys_plan"},
    Role.DISTRICT_STAFF: _WORK,
}
