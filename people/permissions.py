"""What the registry's roles may do (collected by ``core.permissions``)."""

from core.extensions import AppPermissions
from core.models import Role

_WORK = frozenset({"people.view", "people.edit", "people.export", "people.import", "people.reveal_id", "people.merge"})

PERMISSIONS = AppPermissions(
    roles={
        Role.CITY_STAFF: _WORK | {"people.reveal_bank", "catalogues.edit"},
        Role.DISTRICT_STAFF: _WORK,
        # the honour-title and trade catalogues are reference data the system administrator keeps too
        Role.SYSADMIN: frozenset({"catalogues.edit"}),
    }
)
