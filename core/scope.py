"""The one scope rule. Every scoped queryset answers ``visible_to(user)``; views, the API, exports,
reports and tasks all fetch through it, so who-sees-what is written once.

A user's region-bearing roles give the subtrees they see (city staff: everything; district staff:
their district). Self-service roles see only what points at themselves (``self_field``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404

from core.models import Region, Role

REGION_ROLES = {Role.CITY_STAFF, Role.DISTRICT_STAFF}


@dataclass(frozen=True)
class Scope:
    everything: bool
    region_ids: frozenset[int]
    region_paths: tuple[str, ...]
    self_service: bool

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.region_paths or self.self_service)


def scope_for(user: Any) -> Scope:
    if not getattr(user, "is_authenticated", False):
        return Scope(False, frozenset(), (), False)
    cached = getattr(user, "_laomo_scope", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    everything = False
    paths: list[str] = []
    ids: set[int] = set()
    self_service = False
    for a in user.role_assignments.select_related("region"):
        if a.role in REGION_ROLES:
            if a.region is None:
                everything = True
            else:
                paths.append(a.region.path)
                ids.add(a.region_id)
        elif a.role in {Role.MODEL_WORKER, Role.REQUESTER, Role.TEAM_LEADER}:
            self_service = True
    scope = Scope(everything, frozenset(ids), tuple(sorted(paths)), self_service)
    user._laomo_scope = scope
    return scope


def region_q(user: Any, field: str) -> Q | None:
    """A Q limiting ``field`` (a FK to Region) to the user's regions; None means no limit."""
    scope = scope_for(user)
    if scope.everything:
        return None
    q = Q(pk__in=[])
    for path in scope.region_paths:
        q |= Q(**{f"{field}__in": Region.objects.filter(path__startswith=path).values("pk")})
    return q


M = TypeVar("M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[M], Generic[M]):
    #: FK (path) to the Region a row belongs to.
    region_field: str = "region"
    #: Path to the User who owns a row, for self-service roles; None if they see nothing here.
    self_field: str | None = None

    def visible_to(self, user: Any) -> Self:
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        q = region_q(user, self.region_field) or Q()
        if self.self_field and scope.self_service:
            q |= Q(**{self.self_field: user})
        return self.filter(q)


def get_visible_or_404(queryset: ScopedQuerySet[M], user: Any, **lookup: Any) -> M:
    """The access function: an object outside the user's scope does not exist for them."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def regions_visible_to(user: Any) -> models.QuerySet[Region]:
    scope = scope_for(user)
    if scope.everything:
        return Region.objects.all()
    q = Q(pk__in=[])
    for path in scope.region_paths:
        q |= Q(path__startswith=path)
    return Region.objects.filter(q)
