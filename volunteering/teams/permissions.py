"""volunteering.teams: role -> permissions (joined by ``volunteering/permissions.py``).

- ``volunteering.teams_view``: see teams, rosters, activities and yearly figures (in scope);
- ``volunteering.teams_manage``: create teams, name leaders, add/end memberships, record activities;
- ``volunteering.activities_confirm``: confirm or return activities members reported (leaders: their teams).
Members report their own hours on the phone with ``portal.self``."""

from core.models import Role

_STAFF = frozenset({"volunteering.teams_view", "volunteering.teams_manage", "volunteering.activities_confirm"})

ROLES: dict[str, frozenset[str]] = {
    Role.CITY_STAFF: _STAFF,
    Role.DISTRICT_STAFF: _STAFF,
    Role.TEAM_LEADER: frozenset({"volunteering.teams_view", "volunteering.activities_confirm"}),
    Role.AUDITOR: frozenset(),
}
