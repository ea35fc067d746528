"""trips.checkups: role -> permissions (joined by ``trips/permissions.py``).

``trips.checkups_health`` (the report files, sensitive health data) is the city's alone."""

from core.models import Role

_WORK = frozenset({"trips.checkups_view", "trips.checkups_book"})

ROLES: dict[str, frozenset[str]] = {
    Role.CITY_STAFF: _WORK | {"trips.checkups_manage", "trips.checkups_health"},
    Role.DISTRICT_STAFF: _WORK,
}
