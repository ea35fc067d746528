from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext

from core.menu import menu_for
from core.permissions import is_staff_user, permissions_of, roles_of
from core.scope import scope_for
from core.selectors import unread_count
from core.todo import todo_count


def scope_label(user: Any) -> str:
    scope = scope_for(user)
    if scope.everything:
        return gettext("全市")
    names = [a.region.name for a in user.role_assignments.all() if a.region_id]
    if names:
        return "、".join(sorted(set(names)))
    return ""


def navigation(request: HttpRequest) -> dict[str, Any]:
    # An error page for a request refused before AuthenticationMiddleware (a bad Host header)
    # has no user.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_menu": menu_for(user, request.path),
        "user_perms": permissions_of(user),
        "user_roles": roles_of(user),
        "user_is_staff": is_staff_user(user),
        "user_scope_label": scope_label(user),
        # The bell's count: called (once, cached) only by templates that show it, so pages without
        # the bell, such as the phone pages, run no query for it.
        "inbox_unread": functools.cache(lambda: unread_count(user)),
        # The to-do count beside the bell (staff only), likewise counted only where it is shown.
        "todo_total": functools.cache(lambda: todo_count(user)),
    }
