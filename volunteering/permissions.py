"""Role -> permissions: the union of each part's (teams, incidents, operations)."""

from core.extensions import AppPermissions
from volunteering.incidents import permissions as incidents_permissions
from volunteering.operations import permissions as operations_permissions
from volunteering.teams import permissions as teams_permissions

_roles: dict[str, frozenset[str]] = {}
for _part in (teams_permissions.ROLES, incidents_permissions.ROLES, operations_permissions.ROLES):
    for _role, _perms in _part.items():
        _roles[_role] = _roles.get(_role, frozenset()) | _perms

PERMISSIONS = AppPermissions(roles=_roles)
