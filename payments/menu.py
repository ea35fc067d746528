from django.utils.translation import gettext_lazy as _

from core.extensions import MenuGroup, MenuItem

MENU = [
    MenuGroup(
        key="payments",
        title=_("慰问金"),
        order=30,
        items=[
            MenuItem(_("发放概况"), "payments:dashboard", "payments.view"),
            MenuItem(_("发放批次"), "payments:round_list", "payments.view"),
            MenuItem(_("发放规则"), "payments:rules", "payments.view"),
            MenuItem(_("银行代发格式"), "payments:layouts", "payments.rules"),
        ],
    )
]
