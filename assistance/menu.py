from django.utils.translation import gettext_lazy as _

from core.extensions import MenuGroup, MenuItem, PortalLink

MENU = [
    MenuGroup(
        key="assistance",
        title=_("技术帮扶"),
        order=50,
        items=[
            MenuItem(_("帮扶需求"), "assistance:request_list", "assistance.view"),
            MenuItem(_("电话登记需求"), "assistance:request_create", "assistance.manage"),
            MenuItem(_("需求征集"), "assistance:call_list", "assistance.view"),
            MenuItem(_("帮扶统计"), "assistance:figures", "assistance.view"),
            MenuItem(_("帮扶类别"), "assistance:category_list", "assistance.calls"),
        ],
    )
]

PORTAL_LINKS = [
    PortalLink(_("我的帮扶需求"), "assistance:my_requests", "assistance.request"),
    PortalLink(_("提交新需求"), "assistance:apply", "assistance.request"),
    PortalLink(_("帮扶邀请"), "assistance:my_invitations", "portal.self"),
    PortalLink(_("我的服务记录"), "assistance:my_services", "portal.self"),
]
