"""Sidebar and phone links: each part's (teams, incidents, operations), in order."""

from core.extensions import MenuGroup, PortalLink
from volunteering.incidents import menu as incidents_menu
from volunteering.operations import menu as operations_menu
from volunteering.teams import menu as teams_menu

MENU: list[MenuGroup] = [*teams_menu.MENU, *incidents_menu.MENU, *operations_menu.MENU]
PORTAL_LINKS: list[PortalLink] = [*teams_menu.PORTAL_LINKS, *incidents_menu.PORTAL_LINKS, *operations_menu.PORTAL_LINKS]
