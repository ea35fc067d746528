"""What technical help's roles may do (collected by ``core.permissions``)."""

from core.extensions import AppPermissions
from core.models import Role

_WORK = frozenset({"assistance.view", "assistance.manage", "assistance.dispatch"})

PERMISSIONS = AppPermissions(
    roles={
        Role.CITY_STAFF: _WORK | {"assistance.calls"},
        Role.DISTRICT_STAFF: _WORK,
        Role.TEAM_LEADER: frozenset({"assistance.team"}),
        Role.REQUESTER: frozenset({"assistance.request"}),
    }
)
