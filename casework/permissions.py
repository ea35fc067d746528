"""Role -> permissions: the union of each part's (hardship, petitions)."""

from casework.hardship import permissions as hardship_permissions
from casework.petitions import permissions as petitions_permissions
from core.extensions import AppPermissions

_roles: dict[str, frozenset[str]] = {}
for _part in (hardship_permissions.ROLES, petitions_permissions.ROLES):
    for _role, _perms in _part.items():
        _roles[_role] = _roles.get(_role, frozenset()) | _perms

PERMISSIONS = AppPermissions(roles=_roles)
