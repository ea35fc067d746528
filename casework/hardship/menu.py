"""casework.hardship: its sidebar entries and phone links (joined by ``casework/menu.py``)."""

from django.utils.translation import gettext_lazy as _

from core.extensions import MenuGroup, MenuItem, PortalLink

MENU: list[MenuGroup] = [
    MenuGroup(
        key="casework",
        title=_("帮扶与信访"),
        order=60,
        items=[
            MenuItem(_("困难档案"), "casework:hardship_list", "casework.hardship_view"),
            MenuItem(_("帮扶台账"), "casework:hardship_help_list", "casework.hardship_view"),
            MenuItem(_("年度复核"), "casework:hardship_rechecks", "casework.hardship_view"),
            MenuItem(_("走访慰问"), "casework:visit_list", "casework.hardship_view"),
            MenuItem(_("走访计划"), "casework:visit_plan_list", "casework.hardship_view"),
            MenuItem(_("帮扶统计"), "casework:hardship_figures", "casework.hardship_view"),
            MenuItem(_("困难帮扶设置"), "casework:hardship_settings", "casework.hardship_settings"),
        ],
    )
]
PORTAL_LINKS: list[PortalLink] = []
