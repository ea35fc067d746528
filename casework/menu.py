"""Sidebar and phone links: each part's (hardship, petitions), in order."""

from casework.parts import PARTS
from core.extensions import MenuGroup, PortalLink

MENU: list[MenuGroup] = PARTS.constants("menu", "MENU", MenuGroup)
PORTAL_LINKS: list[PortalLink] = PARTS.constants("menu", "PORTAL_LINKS", PortalLink)
