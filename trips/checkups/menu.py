"""trips.checkups: its sidebar entries and phone links (joined by ``trips/menu.py``)."""

from core.extensions import MenuGroup, PortalLink

MENU: list[MenuGroup] = []
PORTAL_LINKS: list[PortalLink] = []
