"""The staff sidebar. Each app lists its entries in ``<app>/menu.py`` as ``MENU``, a list of
``core.extensions.MenuGroup``; groups with the same key from several apps show as one."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.extensions import MenuGroup, MenuItem, PortalLink, module_constants
from core.permissions import permissions_of
from core.selectors import unread_count

# core's own group: 系统管理 (accounts, security, audit, regions, dictionaries, catalogues).
MENU = [
    MenuGroup(
        key="system",
        title=_("系统管理"),
        order=90,
        items=[
            MenuItem(_("用户管理"), "system:users", "accounts.manage"),
            MenuItem(_("账号安全"), "system:account_security", "security.manage"),
            MenuItem(_("在线用户"), "system:online", "security.manage"),
            MenuItem(_("登录日志"), "system:login_log", "security.logs"),
            MenuItem(_("操作日志"), "system:audit", "audit.view"),
            MenuItem(_("区域管理"), "system:regions", ("regions.edit", "regions.edit_local")),
            MenuItem(_("数据字典"), "system:dicts", "dicts.edit"),
            MenuItem(_("工作日历"), "system:calendar", "calendar.edit"),
            MenuItem(_("荣誉称号"), "system:honour_titles", "catalogues.edit"),
            MenuItem(_("工种"), "system:trades", "catalogues.edit"),
        ],
    )
]

# First on the phone home page (core comes first in INSTALLED_APPS), with the unread count.
PORTAL_LINKS = [PortalLink(_("我的消息"), "portal:messages", "portal.use", unread_count)]


def _app_menus() -> list[MenuGroup]:
    """Every app's groups, those sharing a key joined (in app order), sorted by their order."""
    groups: dict[str, MenuGroup] = {}
    for _config, group in module_constants("menu", "MENU", MenuGroup):
        if group.key in groups:
            first = groups[group.key]
            group = MenuGroup(first.key, first.title, first.order, [*first.items, *group.items])
        groups[group.key] = group
    return sorted(groups.values(), key=lambda g: g.order)


def menu_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    perms = permissions_of(user)
    result: list[dict[str, Any]] = []
    for group in _app_menus():
        items: list[dict[str, Any]] = []
        for item in group.items:
            perm = item.perm
            if perm and not (set(perm) & perms if isinstance(perm, tuple) else perm in perms):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append({"label": item.label, "url": url, "active": False})
        if items:
            result.append({"title": group.title, "items": items, "open": False})
    # The longest matching URL wins: /people/collectives/ lights 模范集体, not 人员列表.
    matches = [i for g in result for i in g["items"] if current_path.startswith(i["url"]) and i["url"] != "/"]
    if matches:
        best = max(matches, key=lambda i: len(i["url"]))
        best["active"] = True
        for g in result:
            g["open"] = any(i["active"] for i in g["items"])
    return result
