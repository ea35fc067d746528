"""Writes to regions, accounts and roles. 三员分立 is enforced here, not in views."""

from __future__ import annotations

import io
import json
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import log_action
from core.crypto import keyed_hash
from core.errors import DomainError
from core.masking import scrub
from core.models import (
    Actor,
    ApiToken,
    DictItem,
    LoginEvent,
    Region,
    RegionKind,
    Role,
    RoleAssignment,
    User,
    UserSession,
)
from core.otp import confirmed_device
from core.permissions import SEPARATED_ROLES, has_perm, roles_of
from core.scope import regions_visible_to
from core.spreadsheets import write_xlsx, write_xlsx_to

# 三员分立: the accounts and roles of whoever holds one of these are changed only by the
# security administrator (or on the server, where ``actor`` is None), never by the system
# administrator who creates accounts and knows their first passwords.
GUARDED_ROLES = {Role.AUDITOR, Role.SECADMIN}

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
    actor: Actor,
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
        raise DomainError(_("区划代码只能是字母和数字"), field="code")
    if Region.objects.filter(code=code).exists():
        raise DomainError(_("区划代码 %(code)s 已存在") % {"code": code}, field="code")
    if parent is None and kind not in {RegionKind.PROVINCE, RegionKind.CITY}:
        raise DomainError(_("只有省、市可以没有上级"), field="parent")
    if parent is not None and kind not in _CHILD_KINDS[RegionKind(parent.kind)]:
        raise DomainError(
            _("“%(parent)s”下不能设“%(kind)s”") % {"parent": parent.get_kind_display(), "kind": RegionKind(kind).label},
            field="kind",
        )
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
    *, actor: Actor, region: Region, name: str, short_name: str = "", sort: int = 0, active: bool = True
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
    *, actor: Actor, username: str, password: str | None, display_name: str = "", mobile: str = "", email: str = ""
) -> User:
    """``password=None``: an account that signs in only by text-message code (model workers)."""
    username = username.strip().lower()
    if User.objects.filter(username=username).exists():
        raise DomainError(_("用户名 %(username)s 已存在") % {"username": username}, field="username")
    user = User(username=username, display_name=display_name, mobile=mobile, email=email)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError("；".join(exc.messages), field="password") from exc
        user.set_password(password)
    user.save()
    log_action(actor, "core.user.created", user, changes={"username": username, "display_name": display_name})
    return user


def check_account_changeable(*, actor: Actor, user: User) -> None:
    """Raise unless ``actor`` may change ``user``'s status or roles: nobody changes their own,
    and only the security administrator changes an auditor's or security administrator's."""
    if actor is None:  # the server shell (manage.py grant_role)
        return
    if getattr(actor, "pk", None) == user.pk:
        raise DomainError(_("不能修改自己的账号状态或角色"))
    guarded = RoleAssignment.objects.filter(user=user, role__in=GUARDED_ROLES).exists()
    if guarded and Role.SECADMIN not in roles_of(actor):
        raise DomainError(_("审计员、安全管理员的账号和角色只能由安全管理员变更（三员分立）"))


@transaction.atomic
def assign_role(*, actor: Actor, user: User, role: str, region: Region | None = None) -> RoleAssignment:
    """Grant a role. Nobody grants roles to themselves, and nobody holds two of the three
    separated administrator roles (system, security, audit)."""
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise DomainError(_("不能给自己授权"))
    if role == Role.DISTRICT_STAFF and region is None:
        raise DomainError(_("区县工作人员必须指定数据范围"), field="region")
    if role == Role.CITY_STAFF and region is not None:
        raise DomainError(_("协会工作人员的数据范围是全市，不需指定区域"), field="region")
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    if role in SEPARATED_ROLES and (held & SEPARATED_ROLES) - {role}:
        raise DomainError(_("系统管理员、安全管理员、审计员三员分立，同一人不能兼任"))
    check_account_changeable(actor=actor, user=user)
    if role in {Role.AUDITOR, Role.SECADMIN} and actor is not None:
        # The system administrator creates accounts and knows their first password; if he could
        # also make one an auditor or security administrator, separation would be a formality.
        raise DomainError(_("审计员、安全管理员只能在服务器上用 manage.py grant_role 授予（三员分立）"))
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, region=region, defaults={"granted_by": actor if getattr(actor, "pk", None) else None}
    )
    if created:
        log_action(actor, "core.role.granted", user, changes={"role": role, "region": str(region or "全市")})
    return assignment


@transaction.atomic
def revoke_role(*, actor: Actor, assignment: RoleAssignment) -> None:
    if actor is not None and getattr(actor, "pk", None) == assignment.user_id:
        raise DomainError(_("不能修改自己的角色"))
    check_account_changeable(actor=actor, user=assignment.user)
    log_action(
        actor,
        "core.role.revoked",
        assignment.user,
        changes={"role": assignment.role, "region": str(assignment.region or "全市")},
    )
    assignment.delete()


@transaction.atomic
def set_user_active(*, actor: Actor, user: User, active: bool) -> User:
    if getattr(actor, "pk", None) == user.pk:
        raise DomainError(_("不能停用自己的账号"))
    check_account_changeable(actor=actor, user=user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    log_action(actor, "core.user.enabled" if active else "core.user.disabled", user)
    return user


def issue_api_token(*, actor: Actor, user: User, name: str, otp_token: str = "") -> str:
    """Create a token for ``user`` and return it; only its hash is stored, so it is shown once.

    A token acts as its user through the API with no second factor, so only that user issues it,
    after entering a current code from their authenticator (``otp_token``); administrators can
    only revoke. ``actor=None`` is the server shell. A wrong code is recorded as a failed second
    factor (and counted by django-otp's throttling) before the refusal."""
    name = name.strip()
    if not name:
        raise DomainError(_("请填写令牌名称"), field="name")
    if actor is not None:
        if getattr(actor, "pk", None) != user.pk:
            raise DomainError(_("接口令牌只能由本人签发；管理员只能作废令牌"))
        device = confirmed_device(user)
        if device is None:
            raise DomainError(_("请先绑定认证器，再签发接口令牌"), field="otp_token")
        allowed, why = device.verify_is_allowed()
        if not allowed:
            wait = max(int(((why or {}).get("locked_until", timezone.now()) - timezone.now()).total_seconds()) + 1, 1)
            raise DomainError(_("动态口令错误次数过多，请%(seconds)s秒后再试") % {"seconds": wait}, field="otp_token")
        if not device.verify_token((otp_token or "").strip()):
            LoginEvent.objects.create(username=user.get_username(), user=user, kind=LoginEvent.Kind.OTP_FAILED)
            raise DomainError(_("动态口令不正确或已过期，请输入认证器上最新的6位数字"), field="otp_token")
    raw = "lm_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(user=user, name=name, key_hash=keyed_hash(raw), prefix=raw[:8])
        log_action(actor, "core.api_token.issued", user, changes={"name": name})
    return raw


@transaction.atomic
def revoke_api_token(*, actor: Actor, token: ApiToken) -> None:
    """作废: by the token's own user or an administrator (``accounts.manage``); idempotent."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked:
        return
    token.revoked = True
    token.save(update_fields=["revoked"])
    log_action(actor, "core.api_token.revoked", token.user, changes={"name": token.name})


# --- System pages (用户管理, 区域管理, 数据字典, 操作日志): additions ------------------------------


@transaction.atomic
def reset_password(*, actor: Actor, user: User, password: str) -> User:
    """Set a new password chosen by an administrator. The user's live sessions end, so whoever
    held the old password is signed out."""
    # 三员分立: an administrator's account cannot be taken over by another administrator
    # resetting its password (the system administrator would otherwise become the auditor).
    if (
        getattr(actor, "pk", None) != user.pk
        and RoleAssignment.objects.filter(user=user, role__in=SEPARATED_ROLES).exists()
    ):
        raise DomainError(
            _("系统管理员、安全管理员、审计员的密码不能由他人重置；请由运维人员在服务器上执行 manage.py changepassword")
        )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("；".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    log_action(actor, "core.user.password_reset", user, changes={"sessions_ended": len(keys)})
    return user


@transaction.atomic
def add_dict_item(*, actor: Actor, dict_type: str, value: str, label: str, sort: int = 0) -> DictItem:
    dict_type, value = dict_type.strip(), value.strip()
    if not dict_type or not value:
        raise DomainError(_("字典类型和字典键值都必须填写"))
    if DictItem.objects.filter(dict_type=dict_type, value=value).exists():
        raise DomainError(_("字典“%(type)s”中已有键值“%(value)s”") % {"type": dict_type, "value": value}, field="value")
    item = DictItem.objects.create(dict_type=dict_type, value=value, label=label.strip() or value, sort=sort)
    log_action(actor, "core.dict.created", item, changes={"type": dict_type, "value": value, "label": item.label})
    return item


@transaction.atomic
def update_dict_item(*, actor: Actor, item: DictItem, label: str, sort: int, active: bool) -> DictItem:
    """The key (``value``) never changes: records store it, so only the label, order and state do."""
    item = DictItem.objects.select_for_update().get(pk=item.pk)
    before = {"label": item.label, "sort": item.sort, "active": item.active}
    item.label, item.sort, item.active = label.strip() or item.value, sort, active
    item.save(update_fields=["label", "sort", "active"])
    after = {"label": item.label, "sort": item.sort, "active": item.active}
    log_action(
        actor, "core.dict.updated", item, changes={k: [before[k], after[k]] for k in after if before[k] != after[k]}
    )
    return item


# Either is enough to use the region pages and the region import.
REGION_PERMS = ("regions.edit", "regions.edit_local")
# Kinds district staff (``regions.edit_local``) may add or change, inside their own district.
LOCAL_REGION_KINDS = {RegionKind.STREET, RegionKind.COMMUNITY, RegionKind.GRID}


def check_region_editable(actor: Actor, *, kind: str, parent: Region | None) -> None:
    """``regions.edit`` may change the whole tree; ``regions.edit_local`` only streets,
    communities and grids below a region in the actor's own scope."""
    if has_perm(actor, "regions.edit"):
        return
    if not has_perm(actor, "regions.edit_local"):
        raise DomainError(_("没有维护区域的权限"))
    if kind not in LOCAL_REGION_KINDS:
        raise DomainError(_("区县工作人员只能维护本区县的镇街、社区/村和网格"), field="kind")
    if parent is None or not regions_visible_to(actor).filter(pk=parent.pk).exists():
        raise DomainError(_("上级区域不在你的数据范围内"), field="parent")


def add_region(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    parent: Region | None,
    short_name: str = "",
    former_codes: str = "",
    sort: int = 0,
) -> Region:
    """``create_region`` with the actor's right to edit that part of the tree checked first."""
    check_region_editable(actor, kind=kind, parent=parent)
    return create_region(
        actor=actor,
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        short_name=short_name,
        former_codes=former_codes,
        sort=sort,
    )


def change_region(
    *, actor: Actor, region: Region, name: str, short_name: str = "", sort: int = 0, active: bool = True
) -> Region:
    check_region_editable(actor, kind=region.kind, parent=region.parent)
    if not name.strip():
        raise DomainError(_("名称不能为空"), field="name")
    return update_region(actor=actor, region=region, name=name, short_name=short_name, sort=sort, active=active)


REGION_IMPORT_COLUMNS = ("区划代码", "名称", "上级代码", "类型")
_REGION_KIND_WORDS = {
    "镇街": RegionKind.STREET,
    "街道": RegionKind.STREET,
    "镇": RegionKind.STREET,
    "乡": RegionKind.STREET,
    "乡镇": RegionKind.STREET,
    "street": RegionKind.STREET,
    "社区": RegionKind.COMMUNITY,
    "村": RegionKind.COMMUNITY,
    "社区/村": RegionKind.COMMUNITY,
    "社区（村）": RegionKind.COMMUNITY,
    "community": RegionKind.COMMUNITY,
    "网格": RegionKind.GRID,
    "grid": RegionKind.GRID,
}


class RowError:
    """One refused cell of an import: where (Excel row number and column), what, and how to fix it."""

    def __init__(self, row: int, column: str, problem: str, fix: str) -> None:
        self.row, self.column, self.problem, self.fix = row, column, problem, fix

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "problem": self.problem, "fix": self.fix}

    def __repr__(self) -> str:
        return f"RowError({self.row}, {self.column!r}, {self.problem!r})"


class RegionImportResult:
    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.created: list[Region] = []
        self.updated: list[Region] = []

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# A region import (in the background) reports its progress every this many rows.
REGION_PROGRESS_EVERY = 500


def import_regions(
    *, actor: Actor, rows: list[list[Any]], update_existing: bool = False, progress: Any = None
) -> RegionImportResult:
    """Streets, communities and grids from a spreadsheet (columns 区划代码, 名称, 上级代码, 类型).
    The whole file is checked first; if any row is wrong nothing is written and every refused
    row is reported. Parents may be earlier in the file or already in the tree. ``progress(done,
    total, message)`` is called every ``REGION_PROGRESS_EVERY`` rows: checking counts the first
    half of ``total``, writing (one transaction) the second."""
    result = RegionImportResult()
    header_at = next(
        (i for i, r in enumerate(rows[:10]) if {_cell(c) for c in r} >= set(REGION_IMPORT_COLUMNS)),
        None,
    )
    if header_at is None:
        result.errors.append(
            RowError(
                1,
                "",
                _("找不到表头"),
                _("第一行须包含列：%(columns)s（请使用下载的模板）") % {"columns": "、".join(REGION_IMPORT_COLUMNS)},
            )
        )
        return result
    header = [_cell(c) for c in rows[header_at]]
    col = {name: header.index(name) for name in REGION_IMPORT_COLUMNS}
    planned: dict[str, dict[str, Any]] = {}
    data_rows = len(rows) - header_at - 1
    total = 2 * data_rows
    for offset, raw in enumerate(rows[header_at + 1 :]):
        if progress and offset and offset % REGION_PROGRESS_EVERY == 0:
            progress(offset, total, _("校验中"))
        excel_row = header_at + offset + 2
        values = {name: _cell(raw[i]) if i < len(raw) else "" for name, i in col.items()}
        if not any(values.values()):
            continue
        code, name, parent_code, kind_word = (values[c] for c in REGION_IMPORT_COLUMNS)
        errors_before = len(result.errors)
        if not code or not code.isalnum():
            result.errors.append(
                RowError(excel_row, "区划代码", _("区划代码为空或含有非法字符"), _("只能填字母和数字"))
            )
        elif code in planned:
            result.errors.append(
                RowError(
                    excel_row,
                    "区划代码",
                    _("区划代码 %(code)s 在文件中重复") % {"code": code},
                    _("同一代码只能出现一次，请删除重复行"),
                )
            )
        if not name:
            result.errors.append(RowError(excel_row, "名称", _("名称为空"), _("请填写区域名称")))
        kind = _REGION_KIND_WORDS.get(kind_word)
        if kind is None:
            result.errors.append(
                RowError(
                    excel_row,
                    "类型",
                    _("类型“%(kind)s”无法识别") % {"kind": kind_word},
                    _("填写 镇街、社区、村 或 网格 之一"),
                )
            )
        if not parent_code:
            result.errors.append(RowError(excel_row, "上级代码", _("上级代码为空"), _("请填写上级区域的区划代码")))
        if len(result.errors) == errors_before:
            planned[code] = {"row": excel_row, "code": code, "name": name, "parent_code": parent_code, "kind": kind}
    # Second pass: parents, kinds under parents, scope, existing codes.
    existing = {
        r.code: r for r in Region.objects.filter(code__in=[*planned, *(p["parent_code"] for p in planned.values())])
    }
    for item in planned.values():
        row, parent_code, kind = item["row"], item["parent_code"], item["kind"]
        parent_kind: str | None
        if parent_code in planned:
            parent_kind = planned[parent_code]["kind"]
            anchor = _anchor_of(parent_code, planned, existing)
        elif parent_code in existing:
            parent_kind, anchor = existing[parent_code].kind, existing[parent_code]
        else:
            result.errors.append(
                RowError(
                    row,
                    "上级代码",
                    _("上级代码 %(code)s 不存在") % {"code": parent_code},
                    _("先在区域管理中建立上级区域，或把它也写进本文件"),
                )
            )
            continue
        if kind not in _CHILD_KINDS[RegionKind(parent_kind)]:
            result.errors.append(
                RowError(
                    row,
                    "类型",
                    _("“%(parent)s”下不能设“%(kind)s”")
                    % {"parent": RegionKind(parent_kind).label, "kind": RegionKind(kind).label},
                    _("镇街挂在区县下，社区/村挂在镇街下，网格挂在镇街或社区下"),
                )
            )
            continue
        try:
            check_region_editable(actor, kind=kind, parent=anchor)
        except DomainError as exc:
            result.errors.append(RowError(row, "上级代码", exc.message, _("只能导入你数据范围内的区域")))
            continue
        current = existing.get(item["code"])
        if current is not None:
            if not update_existing:
                result.errors.append(
                    RowError(
                        row,
                        "区划代码",
                        _("区划代码 %(code)s 已存在") % {"code": item["code"]},
                        _("删除该行，或勾选“更新已经存在的数据”"),
                    )
                )
            elif current.parent is None or current.parent.code != parent_code or current.kind != kind:
                result.errors.append(
                    RowError(row, "上级代码", _("已存在的区域不能改换上级或类型"), _("请在区域管理页面处理该区域"))
                )
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    if progress:
        progress(data_rows, total, _("写入中"))
    with transaction.atomic():
        done: dict[str, Region] = {}
        pending = list(planned.values())
        while pending:
            placed = []
            for item in pending:
                parent = done.get(item["parent_code"]) or existing.get(item["parent_code"])
                if parent is None:
                    continue
                current = existing.get(item["code"])
                if current is not None:
                    result.updated.append(
                        update_region(
                            actor=actor,
                            region=current,
                            name=item["name"],
                            short_name=current.short_name,
                            sort=current.sort,
                            active=current.active,
                        )
                    )
                    done[item["code"]] = current
                else:
                    region = create_region(
                        actor=actor, code=item["code"], name=item["name"], kind=item["kind"], parent=parent
                    )
                    result.created.append(region)
                    done[item["code"]] = region
                placed.append(item)
                if progress and len(done) % REGION_PROGRESS_EVERY == 0:
                    progress(data_rows + len(done), total, _("写入中"))
            if not placed:  # a cycle: codes that name each other as parents
                raise DomainError(_("上级代码形成了循环，请检查文件"))
            placed_codes = {i["code"] for i in placed}
            pending = [i for i in pending if i["code"] not in placed_codes]
        log_action(
            actor,
            "core.region.imported",
            changes={"created": len(result.created), "updated": len(result.updated)},
            object_repr=f"导入区域 {len(result.created)} 条新增，{len(result.updated)} 条更新",
        )
    return result


def _anchor_of(code: str, planned: dict[str, dict[str, Any]], existing: dict[str, Region]) -> Region | None:
    """The nearest region already in the tree above a planned one (for the scope check)."""
    seen: set[str] = set()
    while code in planned and code not in seen:
        seen.add(code)
        code = planned[code]["parent_code"]
    if code in existing:
        return existing[code]
    return Region.objects.filter(code=code).first()


def region_import_report(result: RegionImportResult) -> bytes:
    """The import's outcome as a spreadsheet: every refused row with how to fix it, or, when the
    file was imported, every region created or updated."""
    if result.errors:
        return write_xlsx(
            [_("Excel 行号"), _("列"), _("问题"), _("如何修改")],
            ([e.row, e.column, e.problem, e.fix] for e in result.errors),
            sheet_title=_("未导入"),
            widths=[10, 12, 40, 50],
        )
    outcome = [(r, _("新增")) for r in result.created] + [(r, _("更新")) for r in result.updated]
    return write_xlsx(
        [_("区划代码"), _("名称"), _("类型"), _("结果")],
        ([r.code, r.name, r.get_kind_display(), word] for r, word in outcome),
        sheet_title=_("已导入"),
        widths=[18, 24, 10, 8],
        text_columns=[0],
    )


AUDIT_EXPORT_HEADERS = ("时间", "操作人", "操作", "对象类型", "对象编号", "对象", "变更内容", "IP")
# A background export reports its progress every this many rows.
AUDIT_PROGRESS_EVERY = 2_000


def export_audit_entries(*, actor: Actor, entries: Any, filters: dict[str, Any]) -> bytes:
    """The audit log as .xlsx bytes, for a short export answered at once (see
    ``write_audit_export``)."""
    buffer = io.BytesIO()
    write_audit_export(actor=actor, entries=entries, filters=filters, target=buffer)
    return buffer.getvalue()


def write_audit_export(
    *, actor: Actor, entries: Any, filters: dict[str, Any], target: Any, progress: Any = None, total: int = 0
) -> int:
    """Write the audit log to ``target`` (a path or binary file) as .xlsx, one entry at a time:
    ``entries`` is iterated once and no list of rows is built, so memory stays flat however
    many millions there are. Free text is masked again on the way out (entries written before
    masking, or by hand). The export itself is logged, with the filters used and the count.
    ``progress(done, total, message)`` is called every ``AUDIT_PROGRESS_EVERY`` rows."""

    def rows() -> Any:
        for done, e in enumerate(entries, start=1):
            yield [
                e.created.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                e.actor_name,
                e.action,
                e.object_type,
                e.object_id,
                scrub(e.object_repr),
                scrub(_changes_text(e.changes)),
                e.ip or "",
            ]
            if progress and done % AUDIT_PROGRESS_EVERY == 0:
                progress(done, max(total, done), _("导出中"))

    count = write_xlsx_to(
        target,
        list(AUDIT_EXPORT_HEADERS),
        rows(),
        sheet_title="操作日志",
        widths=[20, 14, 28, 20, 12, 30, 60, 16],
        text_columns=[4],
    )
    log_action(
        actor,
        "core.audit.exported",
        changes={"filters": {k: str(v) for k, v in filters.items() if v}, "count": count},
        object_repr=f"导出操作日志 {count} 条",
    )
    return count


def _changes_text(changes: Any) -> str:

    return json.dumps(changes, ensure_ascii=False, sort_keys=True) if changes else ""
