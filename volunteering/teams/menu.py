"""volunteering.teams: its sidebar entries and phone links (joined by ``volunteering/menu.py``)."""

from django.utils.translation import gettext_lazy as _

from core.extensions import MenuGroup, MenuItem, PortalLink

MENU: list[MenuGroup] = [
    MenuGroup(
        key="volunteering",
        title=_("志愿服务与应急"),
        order=70,
        items=[
            MenuItem(_("服务队"), "volunteering:team_list", "volunteering.teams_view"),
            MenuItem(_("服务统计"), "volunteering:team_figures", "volunteering.teams_view"),
        ],
    )
]
PORTAL_LINKS: list[PortalLink] = [PortalLink(_("上报服务时长"), "volunteering:my_report", "portal.self")]
