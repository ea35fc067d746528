"""Sidebar and phone links: each part's (journeys, checkups), in order."""

from core.extensions import MenuGroup, PortalLink
from trips.parts import PARTS

MENU: list[MenuGroup] = PARTS.constants("menu", "MENU", MenuGroup)
PORTAL_LINKS: list[PortalLink] = PARTS.constants("menu", "PORTAL_LINKS", PortalLink)
