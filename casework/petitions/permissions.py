"""casework.petitions: role -> permissions (joined by ``casework/permissions.py``).
``petitions_approve``: decide extension requests; ``petitions_settings``: the deadline rules and the
category dictionary (city staff only)."""

from core.models import Role

ROLES: dict[str, frozenset[str]] = {
    Role.CITY_STAFF: frozenset(
        {
            "casework.petitions_view",
            "casework.petitions_handle",
            "casework.petitions_approve",
            "casework.petitions_settings",
        }
    ),
    Role.DISTRICT_STAFF: frozenset({"casework.petitions_view", "casework.petitions_handle"}),
}
