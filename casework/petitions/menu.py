"""casework.petitions: its sidebar entries and phone links (joined by ``casework/menu.py``)."""

from django.utils.translation import gettext_lazy as _

from core.extensions import MenuGroup, MenuItem, PortalLink

MENU: list[MenuGroup] = [
    MenuGroup(
        key="casework",
        title=_("帮扶与信访"),
        order=60,
        items=[
            MenuItem(_("信访件"), "casework:petitions_list", "casework.petitions_view"),
            MenuItem(_("登记信访"), "casework:petitions_create", "casework.petitions_handle"),
            MenuItem(_("信访统计"), "casework:petitions_figures", "casework.petitions_view"),
            MenuItem(_("信访设置"), "casework:petitions_settings", "casework.petitions_settings"),
        ],
    )
]
PORTAL_LINKS: list[PortalLink] = []
