"""The staff sidebar. Each app lists its entries in ``<app>/menu.py`` as ``MENU``:
a list of groups ``{"title": ..., "icon": ..., "items": [(label, url_name, permission), ...]}``."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from core.permissions import permissions_of


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
            if perm and perm not in perms:
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append({"label": label, "url": url, "active": current_path.startswith(url) and url != "/"})
        if items:
            result.append({"title": group["title"], "items": items, "open": any(i["active"] for i in items)})
    return result
