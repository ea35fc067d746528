"""Roles, what they allow, and the one decorator that checks it.

Permissions are named after what they allow (``<app>.<what>``) and declared by the app that owns
them, as ``PERMISSIONS`` in ``<app>/permissions.py``; this module collects them. The whole map:
``python manage.py shell -c "from core.permissions import role_permissions; print(role_permissions())"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache, wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from core.extensions import AppPermissions, module_constants
from core.models import Role, User

# core's own: accounts, security, the audit log, regions and dictionaries.
PERMISSIONS = AppPermissions(
    roles={
        Role.CITY_STAFF: frozenset({"regions.edit", "regions.edit_local", "dicts.edit", "calendar.edit"}),
        Role.DISTRICT_STAFF: frozenset({"regions.edit_local"}),
        Role.AUDITOR: frozenset({"audit.view", "security.logs"}),
        Role.SYSADMIN: frozenset({"accounts.manage", "regions.edit", "dicts.edit", "calendar.edit"}),
        Role.SECADMIN: frozenset({"security.manage", "security.logs"}),
    }
)


@cache
def role_permissions() -> dict[str, frozenset[str]]:
    """Role → every permission it carries, collected from each app's ``PERMISSIONS``
    (``<app>/permissions.py``)."""
    collected: dict[str, set[str]] = {}
    for _config, declared in module_constants("permissions", "PERMISSIONS", AppPermissions):
        for role, perms in declared.roles.items():
            collected.setdefault(role, set()).update(perms)
    return {role: frozenset(perms) for role, perms in collected.items()}


@receiver(setting_changed)
def _forget_permissions(*, setting: str, **kwargs: Any) -> None:
    if setting == "INSTALLED_APPS":
        role_permissions.cache_clear()


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
        perms |= role_permissions().get(role, frozenset())
    return perms


def has_perm(user: Any, perm: str) -> bool:
    return perm in permissions_of(user)


def is_staff_user(user: Any) -> bool:
    return bool(roles_of(user) & STAFF_ROLES)


F = TypeVar("F", bound=Callable[..., HttpResponseBase])


def require_perm(*perms: str) -> Callable[[F], F]:
    """Anonymous → login page; signed in without every one of the permissions → 403.
    (Objects outside the user's scope answer 404 from the access functions, before this matters.)"""
    return _guard(lambda user: has_perms(user, perms, all))


def require_any_perm(*perms: str) -> Callable[[F], F]:
    """Like :func:`require_perm`, but one of the permissions is enough (the region pages serve both
    ``regions.edit`` and ``regions.edit_local``)."""
    return _guard(lambda user: has_perms(user, perms, any))


def require_staff(view: F) -> F:
    """Signed-in staff (the roles that sign in with a second factor); anyone else 403."""
    return _guard(is_staff_user)(view)


def has_perms(user: Any, perms: tuple[str, ...], combine: Callable[[Iterable[bool]], bool] = all) -> bool:
    """The one check pages and the API share: ``combine`` is ``all`` (every one) or ``any``."""
    held = permissions_of(user)
    return combine(p in held for p in perms)


def _guard(allowed: Callable[[Any], bool]) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def require_api_perm(request: HttpRequest, *perms: str, combine: Callable[[Iterable[bool]], bool] = all) -> Any:
    """The API's form of the same check: 403 with a message unless the caller holds the permissions
    (every one, or with ``combine=any`` one of them). Returns the calling user."""
    if not has_perms(request.user, perms, combine):
        raise HttpError(403, _("没有权限执行此操作"))
    return request.user


def signed_in(request: HttpRequest) -> User:
    """The user behind a request that a permission check has let through (so signed in): the
    ``actor`` of the services it calls."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
