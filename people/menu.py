from django.utils.translation import gettext_lazy as _

from core.extensions import MenuGroup, MenuItem

MENU = [
    MenuGroup(
        key="people",
        title=_("人员库"),
        order=10,
        items=[
            MenuItem(_("人员列表"), "people:list", "people.view"),
            MenuItem(_("模范集体"), "people:collectives", "people.view"),
        ],
    ),
    # The registry's catalogues, shown in 系统管理 beside core's pages.
    MenuGroup(
        key="system",
        title=_("系统管理"),
        order=90,
        items=[
            MenuItem(_("荣誉称号"), "people:honour_titles", "catalogues.edit"),
            MenuItem(_("工种"), "people:trades", "catalogues.edit"),
        ],
    ),
]
