"""Role -> permissions: the union of each part's (journeys, checkups)."""

from core.extensions import AppPermissions
from trips.checkups import permissions as checkups_permissions
from trips.journeys import permissions as journeys_permissions

_roles: dict[str, frozenset[str]] = {}
for _part in (journeys_permissions.ROLES, checkups_permissions.ROLES):
    for _role, _perms in _part.items():
        _roles[_role] = _roles.get(_role, frozenset()) | _perms

PERMISSIONS = AppPermissions(roles=_roles)
