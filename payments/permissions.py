"""What the payments' roles may do (collected by ``core.permissions``)."""

from core.extensions import AppPermissions
from core.models import Role

_WORK = frozenset({"payments.view", "payments.manage", "payments.review"})

PERMISSIONS = AppPermissions(
    roles={
        Role.CITY_STAFF: _WORK | {"payments.approve", "payments.bank_export", "payments.rules"},
        Role.DISTRICT_STAFF: _WORK,
    }
)
