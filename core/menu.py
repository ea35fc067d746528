"""The staff sidebar. Each app lists its entries in ``<app>/menu.py`` as ``MENU``:
a list of groups ``{"title": ..., "icon": ..., "items": [(label, url_name, permission), ...]}``.
A permission may also be a tuple: any one of them shows the entry."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.permissions import permissions_of
from core.selectors import unread_count

# core's own group: 系统管理 (accounts, security, audit, regions, dictionaries, catalogues).
MENU = [
    {
        "title": _("系统管理"),
        "order": 90,
        "items": [
            (_("用户管理"), "system:users", "accounts.manage"),
            (_("账号安全"), "system:account_security", "security.manage"),
            (_("在线用户"), "system:online", "security.manage"),
            (_("登录日志"), "system:login_log", "security.logs"),
            (_("操作日志"), "system:audit", "audit.view"),
            (_("区域管理"), "system:regions", ("regions.edit", "regions.edit_local")),
            (_("数据字典"), "system:dicts", "dicts.edit"),
            (_("荣誉称号"), "system:honour_titles", "catalogues.edit"),
            (_("工种"), "system:trades", "catalogues.edit"),
        ],
    }
]

# First on the phone home page (core comes first in INSTALLED_APPS), with the unread count.
PORTAL_LINKS = [(_("我的消息"), "portal:messages", "portal.use", unread_count)]


def _app_menus() -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.menu")
        except ModuleNotFoundError:
            continue
        groups.extend(getattr(module, "MENU", []))
    return sorted(groups, key=lambda g: g.get("order", 100))


def menu_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    perms = permissions_of(user)
    result = []
    for group in _app_menus():
        items = []
        for label, url_name, perm in group["items"]:
            if perm and not (set(perm) & perms if isinstance(perm, tuple) else perm in perms):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append({"label": label, "url": url, "active": False})
        if items:
            result.append({"title": group["title"], "items": items, "open": False})
    # The longest matching URL wins: /people/collectives/ lights 模范集体, not 人员列表.
    matches = [i for g in result for i in g["items"] if current_path.startswith(i["url"]) and i["url"] != "/"]
    if matches:
        best = max(matches, key=lambda i: len(i["url"]))
        best["active"] = True
        for g in result:
            g["open"] = any(i["active"] for i in g["items"])
    return result
