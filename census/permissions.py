"""What the census's roles may do (collected by ``core.permissions``)."""

from core.extensions import AppPermissions
from core.models import Role

_WORK = frozenset({"census.view", "census.manage", "census.review"})

PERMISSIONS = AppPermissions(
    roles={
        Role.CITY_STAFF: _WORK | {"census.open"},
        Role.DISTRICT_STAFF: _WORK,
    }
)
