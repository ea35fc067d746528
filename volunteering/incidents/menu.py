"""volunteering.incidents: its sidebar entries and phone links (joined by ``volunteering/menu.py``)."""

from django.utils.translation import gettext_lazy as _

from core.extensions import MenuGroup, PortalLink

MENU: list[MenuGroup] = []
PORTAL_LINKS: list[PortalLink] = [PortalLink(_("应急召集"), "volunteering:my_callouts", "portal.self")]
