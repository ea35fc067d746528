"""casework.hardship: role -> permissions (joined by ``casework/permissions.py``).

- ``casework.hardship_view``: see files, help ledger, visits, plans and figures (masked)
- ``casework.hardship_manage``: open files and move them on, record help, visits and plans
- ``casework.hardship_approve``: the 审批 step and the second approval of large cash help
- ``casework.hardship_sensitive``: see health and finance details (each view is logged)
- ``casework.hardship_settings``: the dictionary, the 低保标准 table and the approval amount
"""

from core.models import Role

_WORK = frozenset(
    {
        "casework.hardship_view",
        "casework.hardship_manage",
        "casework.hardship_approve",
        "casework.hardship_sensitive",
    }
)

ROLES: dict[str, frozenset[str]] = {
    Role.CITY_STAFF: _WORK | {"casework.hardship_settings"},
    Role.DISTRICT_STAFF: _WORK,
}
