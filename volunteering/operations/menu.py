"""volunteering.operations: its sidebar entries and phone links (joined by ``volunteering/menu.py``)."""

from django.utils.translation import gettext_lazy as _

from core.extensions import MenuGroup, MenuItem, PortalLink

MENU: list[MenuGroup] = [
    MenuGroup(
        "volunteering",
        _("志愿服务与应急"),
        70,
        [
            MenuItem(_("应急调度"), "volunteering:operations_incidents", "volunteering.incidents_view"),
            MenuItem(_("物资台账"), "volunteering:operations_equipment", "volunteering.incidents_view"),
        ],
    )
]
PORTAL_LINKS: list[PortalLink] = [PortalLink(_("我的任务"), "volunteering:operations_my_tasks", "portal.self")]
