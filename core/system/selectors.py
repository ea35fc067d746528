"""Reads for the system pages (users, login log, online users, audit log, regions, dictionaries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEntry, DictItem, LoginEvent, LoginFailure, Region, RoleAssignment, User
from core.permissions import has_perm
from core.scope import regions_visible_to
from core.services import GUARDED_ROLES


def users_list(*, q: str = "", role: str = "", active: str = "") -> QuerySet[User]:
    qs = User.objects.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("region"))
    ).order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(mobile__contains=q))
    if role:
        qs = qs.filter(role_assignments__role=role).distinct()
    if active in {"1", "0"}:
        qs = qs.filter(is_active=active == "1")
    return qs


def guarded_admins() -> QuerySet[User]:
    """Auditors and security administrators: the accounts only the security administrator changes."""
    return (
        User.objects.filter(role_assignments__role__in=GUARDED_ROLES)
        .distinct()
        .prefetch_related(Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("region")))
        .order_by("username")
    )


def _day_range(qs: Any, field: str, start: dt.date | None, end: dt.date | None) -> Any:
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(**{f"{field}__gte": dt.datetime.combine(start, dt.time.min, tzinfo=tz)})
    if end:
        qs = qs.filter(**{f"{field}__lt": dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)})
    return qs


def login_events(
    *, username: str = "", kind: str = "", ip: str = "", start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[LoginEvent]:
    qs = LoginEvent.objects.all()
    if username:
        qs = qs.filter(username__icontains=username.strip().lower())
    if kind:
        qs = qs.filter(kind=kind)
    if ip:
        qs = qs.filter(ip=ip)
    return _day_range(qs, "created", start, end)  # type: ignore[no-any-return]


def audit_entries(
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if actor:
        qs = qs.filter(Q(actor_name__icontains=actor) | Q(actor__username__iexact=actor))
    if action:
        # A dotted prefix (``people.person``) or a whole action name.
        qs = qs.filter(action__startswith=action.strip())
    if object_type:
        qs = qs.filter(object_type=object_type.strip().lower())
    if object_id:
        qs = qs.filter(object_id=object_id.strip())
    return _day_range(qs, "created", start, end)  # type: ignore[no-any-return]


def audit_object_types() -> list[str]:
    return list(AuditEntry.objects.exclude(object_type="").values_list("object_type", flat=True).distinct())


@dataclass(frozen=True)
class LockedAccount:
    username: str
    failures: int
    last_failure: dt.datetime
    exists: bool


def locked_accounts() -> list[LockedAccount]:
    """User names (existing or not) at or over the failure threshold within the lockout window."""
    since = timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    rows = (
        LoginFailure.objects.filter(created__gte=since)
        .values("username")
        .annotate(n=Count("id"), last=Max("created"))
        .filter(n__gte=settings.LOGIN_MAX_FAILURES)
        .order_by("-last")
    )
    known = set(User.objects.filter(username__in=[r["username"] for r in rows]).values_list("username", flat=True))
    return [LockedAccount(r["username"], r["n"], r["last"], r["username"] in known) for r in rows]


def users_with_otp(*, q: str = "") -> QuerySet[User]:

    qs = users_list(q=q).annotate(
        has_otp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
    )
    return qs


def regions_for_editor(user: Any) -> QuerySet[Region]:
    """The part of the tree a user may see on the region pages: all of it with ``regions.edit``,
    their own subtree with ``regions.edit_local``."""
    if has_perm(user, "regions.edit"):
        return Region.objects.all()
    if has_perm(user, "regions.edit_local"):
        return regions_visible_to(user)
    return Region.objects.none()


def region_tree(user: Any, *, q: str = "") -> list[Region]:
    """Regions in tree order (``path``), with child counts, optionally narrowed to matches and
    their ancestors so a search still shows where a hit sits."""
    qs = regions_for_editor(user).annotate(child_count=Count("children")).order_by("path")
    if not q:
        return list(qs)
    hits = list(qs.filter(Q(name__contains=q) | Q(code__startswith=q)))
    ancestor_codes = {code for r in hits for code in r.path.rstrip(".").split(".")}
    return list(qs.filter(Q(pk__in=[r.pk for r in hits]) | Q(code__in=ancestor_codes)))


def dict_types() -> list[dict[str, Any]]:
    return list(
        DictItem.objects.values("dict_type")
        .annotate(total=Count("id"), active=Count("id", filter=Q(active=True)))
        .order_by("dict_type")
    )
