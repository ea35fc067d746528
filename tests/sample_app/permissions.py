from core.extensions import AppPermissions
from core.models import Role

PERMISSIONS = AppPermissions(
    roles={Role.CITY_STAFF: frozenset({"sample.view"}), Role.DISTRICT_STAFF: frozenset({"sample.view"})}
)
