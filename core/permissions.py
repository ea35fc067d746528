"""Roles, what they allow, and the one decorator that checks it.

Permissions are named after what they allow. Apps add their own through ``ROLE_PERMISSIONS``
entries here, so the whole map can be read in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from core.models import Role

_STAFF_READ = {
    "people.view",
    "census.view",
    "payments.view",
    "assistance.view",
    "reports.view",
}
_STAFF_WORK = {
    "people.edit",
    "people.export",
    "people.import",
    "people.reveal_id",
    "people.merge",
    "census.manage",
    "census.review",
    "payments.manage",
    "payments.review",
    "assistance.manage",
    "assistance.dispatch",
    "regions.edit_local",
}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.CITY_STAFF: _STAFF_READ
    | _STAFF_WORK
    | {
        "people.reveal_bank",
        "payments.approve",
        "payments.bank_export",
        "payments.rules",
        "regions.edit",
        "catalogues.edit",
        "dicts.edit",
        "census.open",
        "assistance.calls",
    },
    Role.DISTRICT_STAFF: _STAFF_READ | _STAFF_WORK,
    Role.TEAM_LEADER: {"portal.use", "assistance.team"},
    Role.MODEL_WORKER: {"portal.use", "portal.self"},
    Role.REQUESTER: {"portal.use", "assistance.request"},
    Role.AUDITOR: {"audit.view", "security.logs"},
    Role.SYSADMIN: {"accounts.manage", "regions.edit", "catalogues.edit", "dicts.edit"},
    Role.SECADMIN: {"security.manage", "security.logs"},
}

# Roles that work on other people's data sign in with a second factor.
STAFF_ROLES = {Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.AUDITOR, Role.SYSADMIN, Role.SECADMIN}
# 三员分立: nobody holds two of these.
SEPARATED_ROLES = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}


def roles_of(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_laomo_roles", None)
    if cached is None:
        cached = {a.role for a in user.role_assignments.all()}
        user._laomo_roles = cached
    return set(cached)


def permissions_of(user: Any) -> set[str]:
    perms: set[str] = set()
    for role in roles_of(user):
        perms |= ROLE_PERMISSIONS.get(role, set())
    return perms


def has_perm(user: Any, perm: str) -> bool:
    return perm in permissions_of(user)


def is_staff_user(user: Any) -> bool:
    return bool(roles_of(user) & STAFF_ROLES)


F = TypeVar("F", bound=Callable[..., HttpResponseBase])


def require_perm(*perms: str) -> Callable[[F], F]:
    """Anonymous → login page; signed in without the permission → 403.
    (Objects outside the user's scope answer 404 from the access functions, before this matters.)"""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not all(has_perm(request.user, p) for p in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
