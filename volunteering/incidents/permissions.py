"""volunteering.incidents: role -> permissions (joined by ``volunteering/permissions.py``).

- ``volunteering.incidents_view``: see incidents, their areas, needs and call-outs (in scope);
- ``volunteering.incidents_open``: open, change and close incidents and their areas (the city);
- ``volunteering.incidents_command``: enter needs, propose people and send or withdraw call-outs
  (district staff in their district; team leaders for their team's members).
People answer call-outs on the phone with ``portal.self``; requesters enter needs with
``volunteering.needs_request``."""

from core.models import Role

ROLES: dict[str, frozenset[str]] = {
    Role.CITY_STAFF: frozenset(
        {"volunteering.incidents_view", "volunteering.incidents_open", "volunteering.incidents_command"}
    ),
    Role.DISTRICT_STAFF: frozenset({"volunteering.incidents_view", "volunteering.incidents_command"}),
    Role.TEAM_LEADER: frozenset({"volunteering.incidents_view", "volunteering.incidents_command"}),
    Role.REQUESTER: frozenset({"volunteering.needs_request"}),
}
