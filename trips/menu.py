"""Sidebar and phone links: each part's (journeys, checkups), in order."""

from core.extensions import MenuGroup, PortalLink
from trips.checkups import menu as checkups_menu
from trips.journeys import menu as journeys_menu

MENU: list[MenuGroup] = [*journeys_menu.MENU, *checkups_menu.MENU]
PORTAL_LINKS: list[PortalLink] = [*journeys_menu.PORTAL_LINKS, *checkups_menu.PORTAL_LINKS]
