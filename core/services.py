"""Writes to regions, accounts and roles. 三员分立 is enforced here, not in views."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import log_action
from core.crypto import keyed_hash
from core.errors import DomainError
from core.models import ApiToken, DictItem, Region, RegionKind, Role, RoleAssignment, User
from core.permissions import SEPARATED_ROLES

# Which kinds may sit under which.
_CHILD_KINDS = {
    RegionKind.PROVINCE: {RegionKind.CITY},
    RegionKind.CITY: {RegionKind.DISTRICT, RegionKind.ZONE},
    RegionKind.DISTRICT: {RegionKind.STREET},
    RegionKind.ZONE: {RegionKind.STREET},
    RegionKind.STREET: {RegionKind.COMMUNITY, RegionKind.GRID},
    RegionKind.COMMUNITY: {RegionKind.GRID},
    RegionKind.GRID: set(),
}


@transaction.atomic
def create_region(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    parent: Region | None,
    short_name: str = "",
    former_codes: str = "",
    sort: int = 0,
) -> Region:
    code = code.strip()
    if not code.isalnum():
        raise DomainError("区划代码只能是字母和数字", field="code")
    if Region.objects.filter(code=code).exists():
        raise DomainError(f"区划代码 {code} 已存在", field="code")
    if parent is None and kind not in {RegionKind.PROVINCE, RegionKind.CITY}:
        raise DomainError("只有省、市可以没有上级", field="parent")
    if parent is not None and kind not in _CHILD_KINDS[RegionKind(parent.kind)]:
        raise DomainError(f"“{parent.get_kind_display()}”下不能设“{RegionKind(kind).label}”", field="kind")
    region = Region.objects.create(
        code=code,
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        parent=parent,
        path=(parent.path if parent else "") + code + ".",
        former_codes=former_codes,
        sort=sort,
    )
    log_action(actor, "core.region.created", region, changes={"code": code, "name": name, "kind": kind})
    return region


@transaction.atomic
def update_region(
    *, actor: Any, region: Region, name: str, short_name: str = "", sort: int = 0, active: bool = True
) -> Region:
    before = {"name": region.name, "short_name": region.short_name, "sort": region.sort, "active": region.active}
    region.name, region.short_name, region.sort, region.active = name.strip(), short_name.strip(), sort, active
    region.save()
    after = {"name": region.name, "short_name": region.short_name, "sort": region.sort, "active": region.active}
    log_action(
        actor, "core.region.updated", region, changes={k: [before[k], after[k]] for k in after if before[k] != after[k]}
    )
    return region


@transaction.atomic
def create_user(
    *, actor: Any, username: str, password: str, display_name: str = "", mobile: str = "", email: str = ""
) -> User:
    username = username.strip().lower()
    if User.objects.filter(username=username).exists():
        raise DomainError(f"用户名 {username} 已存在", field="username")
    user = User(username=username, display_name=display_name, mobile=mobile, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("；".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save()
    log_action(actor, "core.user.created", user, changes={"username": username, "display_name": display_name})
    return user


@transaction.atomic
def assign_role(*, actor: Any, user: User, role: str, region: Region | None = None) -> RoleAssignment:
    """Grant a role. Nobody grants roles to themselves, and nobody holds two of the three
    separated administrator roles (system, security, audit)."""
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise DomainError("不能给自己授权")
    if role == Role.DISTRICT_STAFF and region is None:
        raise DomainError("区县工作人员必须指定数据范围", field="region")
    if role == Role.CITY_STAFF and region is not None:
        raise DomainError("协会工作人员的数据范围是全市，不需指定区域", field="region")
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    if role in SEPARATED_ROLES and (held & SEPARATED_ROLES) - {role}:
        raise DomainError("系统管理员、安全管理员、审计员三员分立，同一人不能兼任")
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, region=region, defaults={"granted_by": actor if getattr(actor, "pk", None) else None}
    )
    if created:
        log_action(actor, "core.role.granted", user, changes={"role": role, "region": str(region or "全市")})
    return assignment


@transaction.atomic
def revoke_role(*, actor: Any, assignment: RoleAssignment) -> None:
    if actor is not None and getattr(actor, "pk", None) == assignment.user_id:
        raise DomainError("不能修改自己的角色")
    log_action(
        actor,
        "core.role.revoked",
        assignment.user,
        changes={"role": assignment.role, "region": str(assignment.region or "全市")},
    )
    assignment.delete()


@transaction.atomic
def set_user_active(*, actor: Any, user: User, active: bool) -> User:
    if getattr(actor, "pk", None) == user.pk:
        raise DomainError("不能停用自己的账号")
    user.is_active = active
    user.save(update_fields=["is_active"])
    log_action(actor, "core.user.enabled" if active else "core.user.disabled", user)
    return user


@transaction.atomic
def issue_api_token(*, actor: Any, user: User, name: str) -> str:
    """Create a token and return it; only its hash is stored, so it is shown once."""
    raw = "lm_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, key_hash=keyed_hash(raw), prefix=raw[:8])
    log_action(actor, "core.api_token.issued", user, changes={"name": name})
    return raw


@transaction.atomic
def revoke_api_token(*, actor: Any, token: ApiToken) -> None:
    token.revoked = True
    token.save(update_fields=["revoked"])
    log_action(actor, "core.api_token.revoked", token.user, changes={"name": token.name})


@transaction.atomic
def save_dict_item(
    *, actor: Any, dict_type: str, value: str, label: str, sort: int = 0, active: bool = True
) -> DictItem:
    item, _ = DictItem.objects.update_or_create(
        dict_type=dict_type, value=value, defaults={"label": label, "sort": sort, "active": active}
    )
    log_action(actor, "core.dict.saved", item, changes={"type": dict_type, "value": value, "label": label})
    return item
