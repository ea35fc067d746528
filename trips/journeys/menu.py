"""trips.journeys: its sidebar entries and phone links (joined by ``trips/menu.py``)."""

from django.utils.translation import gettext_lazy as _

from core.extensions import MenuGroup, MenuItem, PortalLink

MENU: list[MenuGroup] = [
    MenuGroup(
        key="trips",
        title=_("疗休养与体检"),
        order=80,
        items=[
            MenuItem(_("疗休养批次"), "trips:journeys_batches", "trips.journeys_view"),
            MenuItem(_("疗休养线路"), "trips:journeys_routes", "trips.journeys_view"),
            MenuItem(_("疗休养规则"), "trips:journeys_rules", "trips.journeys_view"),
            MenuItem(_("疗休养统计"), "trips:journeys_figures", "trips.journeys_view"),
        ],
    )
]
PORTAL_LINKS: list[PortalLink] = [PortalLink(_("我的疗休养"), "trips:journeys_my_trips", "portal.self")]
