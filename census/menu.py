from django.utils.translation import gettext_lazy as _

from core.extensions import MenuGroup, MenuItem

MENU = [
    MenuGroup(
        key="census",
        title=_("普查"),
        order=15,
        items=[
            MenuItem(_("普查活动"), "census:campaigns", "census.view"),
            MenuItem(_("变更审核"), "census:reviews", "census.review"),
            MenuItem(_("数据导入"), "census:imports", "people.import"),
        ],
    )
]
