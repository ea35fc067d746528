"""Who uses the phone pages (collected by ``core.permissions``): ``portal.use`` opens them,
``portal.self`` is a model worker's own record."""

from core.extensions import AppPermissions
from core.models import Role

PERMISSIONS = AppPermissions(
    roles={
        Role.TEAM_LEADER: frozenset({"portal.use"}),
        Role.MODEL_WORKER: frozenset({"portal.use", "portal.self"}),
        Role.REQUESTER: frozenset({"portal.use"}),
    }
)
