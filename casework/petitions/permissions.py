"""casework.petitions: role -> permissions (joined by ``casework/permissions.py``)."""

from core.models import Role

ROLES: dict[str, frozenset[str]] = {
    Role.CITY_STAFF: frozenset({"casework.petitions_view", "casework.petitions_handle"}),
    Role.DISTRICT_STAFF: frozenset({"casework.petitions_view", "casework.petitions_handle"}),
}
