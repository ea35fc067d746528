"""casework.petitions: role -> permissions (joined by ``casework/permissions.py``)."""

ROLES: dict[str, frozenset[str]] = {}
