"""casework.hardship: its sidebar entries and phone links (joined by ``casework/menu.py``)."""

from core.extensions import MenuGroup, PortalLink

MENU: list[MenuGroup] = []
PORTAL_LINKS: list[PortalLink] = []
