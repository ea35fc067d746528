"""volunteering.teams: role -> permissions (joined by ``volunteering/permissions.py``)."""

ROLES: dict[str, frozenset[str]] = {}
