"""The to-do centre (待办): what waits for a staff user, from every app's ``todo_items(user)``
(``<app>/home.py``, the ``core.extensions.todo_items`` point). One selector serves the /todo/
page, the home page's section and the count in the top bar, so the three always agree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import extensions
from core.home import TodoItem
from core.permissions import is_staff_user


def todo_for(user: Any) -> list[TodoItem]:
    """Every app's items with something to do (count > 0): overdue ones first, then by due date
    (undated last), then in app order."""
    items: list[TodoItem] = []
    if is_staff_user(user):
        for config, make in extensions.todo_items.by_app():
            for item in make(user):
                if item.count > 0:
                    item.app = item.app or str(config.verbose_name)
                    items.append(item)
    far = dt.date.max
    items.sort(key=lambda i: (i.overdue == 0, i.due or far))
    return items


def total(items: list[TodoItem]) -> int:
    """How many things wait in all (the number beside the bell)."""
    return sum(item.count for item in items)


def todo_count(user: Any) -> int:
    return total(todo_for(user))
