"""trips.checkups: its sidebar entries and phone links (joined by ``trips/menu.py``)."""

from django.utils.translation import gettext_lazy as _

from core.extensions import MenuGroup, MenuItem, PortalLink

MENU: list[MenuGroup] = [
    MenuGroup(
        key="trips",
        title=_("疗休养与体检"),
        order=80,
        items=[
            MenuItem(_("体检计划"), "trips:checkups_campaigns", "trips.checkups_view"),
            MenuItem(_("体检医院"), "trips:checkups_hospitals", "trips.checkups_manage"),
            MenuItem(_("体检套餐"), "trips:checkups_packages", "trips.checkups_manage"),
            MenuItem(_("体检周期规则"), "trips:checkups_rules", "trips.checkups_manage"),
        ],
    )
]
PORTAL_LINKS: list[PortalLink] = [PortalLink(_("我的体检"), "trips:checkups_mine", "portal.self")]
