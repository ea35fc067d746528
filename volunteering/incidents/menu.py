"""volunteering.incidents: its sidebar entries and phone links (joined by ``volunteering/menu.py``)."""

from django.utils.translation import gettext_lazy as _

from core.extensions import MenuGroup, MenuItem, PortalLink
from volunteering.incidents.messages import pending_count

MENU: list[MenuGroup] = [
    MenuGroup(
        key="volunteering",
        title=_("志愿服务与应急"),
        order=70,
        items=[MenuItem(_("应急事件"), "volunteering:incident_list", "volunteering.incidents_view")],
    )
]
PORTAL_LINKS: list[PortalLink] = [
    PortalLink(_("应急召集"), "volunteering:my_callouts", "portal.self", badge=pending_count),
    PortalLink(_("上报应急需求"), "volunteering:my_needs", "volunteering.needs_request"),
]
