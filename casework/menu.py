"""Sidebar and phone links: each part's (hardship, petitions), in order."""

from casework.hardship import menu as hardship_menu
from casework.petitions import menu as petitions_menu
from core.extensions import MenuGroup, PortalLink

MENU: list[MenuGroup] = [*hardship_menu.MENU, *petitions_menu.MENU]
PORTAL_LINKS: list[PortalLink] = [*hardship_menu.PORTAL_LINKS, *petitions_menu.PORTAL_LINKS]
