"""系统管理 pages: 用户管理 (system administrator), 安全管理 (security administrator),
操作日志 (auditor), 区域管理 and 数据字典 (the registry's catalogues are people's).
Views parse, fetch and call services."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import login as login_service
from core import otp, services, workdays
from core.errors import DomainError
from core.jobs import job_url, start_job, stash_upload
from core.models import (
    ApiToken,
    AuditEntry,
    CalendarDay,
    DictItem,
    Region,
    RegionKind,
    RoleAssignment,
    User,
    UserSession,
)
from core.pages import act, form_error, page_context, submit
from core.params import parse_id
from core.permissions import has_perm, require_any_perm, require_perm, require_staff, signed_in
from core.request_context import client_ip
from core.sheetreader import SheetError, read_rows
from core.spreadsheets import write_xlsx, xlsx_response
from core.system import forms, selectors
from core.tasks import audit_filters_to_params, run_audit_export, run_region_import

T = "core/system/"


# --- 用户管理 -------------------------------------------------------------------------------------


@require_perm("accounts.manage")
def users(request: HttpRequest) -> HttpResponse:
    form = forms.UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.users_list(q=filters.get("q", ""), role=filters.get("role", ""), active=filters.get("active", ""))
    return render(request, T + "users.html", {"form": form, **page_context(request, qs)})


@require_perm("accounts.manage")
def user_create(request: HttpRequest) -> HttpResponse:
    form = forms.UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = services.create_user(
                actor=signed_in(request),
                username=d["username"],
                password=d["password"],
                display_name=d["display_name"],
                mobile=d["mobile"],
                email=d["email"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("操作成功：已新增用户 %(name)s") % {"name": user.username})
            return redirect("system:user_detail", pk=user.pk)
    return render(request, T + "user_form.html", {"form": form})


@require_perm("accounts.manage")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    context = {
        "target": user,
        "assignments": RoleAssignment.objects.filter(user=user).select_related("region", "granted_by"),
        "tokens": ApiToken.objects.filter(user=user).order_by("-created"),
        "role_form": forms.RoleGrantForm(),
    }
    return render(request, T + "user_detail.html", context)


@require_POST
@require_perm("accounts.manage")
def user_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    act(
        request,
        lambda: services.set_user_active(actor=signed_in(request), user=user, active=not user.is_active),
        _("操作成功：账号已停用") if user.is_active else _("操作成功：账号已启用"),
    )
    return redirect("system:user_detail", pk=pk)


@require_perm("accounts.manage")
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = forms.PasswordResetForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: services.reset_password(actor=signed_in(request), user=user, password=form.cleaned_data["password"]),
        _("操作成功：密码已重置，该用户已被要求重新登录"),
    ):
        return redirect("system:user_detail", pk=pk)
    return render(request, T + "user_password.html", {"form": form, "target": user})


@require_POST
@require_perm("accounts.manage")
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = forms.RoleGrantForm(request.POST)
    if form.is_valid():
        role, region = form.cleaned_data["role"], form.cleaned_data["region"]
        act(
            request,
            lambda: services.assign_role(actor=signed_in(request), user=user, role=role, region=region),
            _("操作成功：已授权"),
        )
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("system:user_detail", pk=pk)


@require_POST
@require_perm("accounts.manage")
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user", "region"), pk=pk)
    act(
        request,
        lambda: services.revoke_role(actor=signed_in(request), assignment=assignment),
        _("操作成功：已取消授权"),
    )
    return redirect("system:user_detail", pk=assignment.user_id)


@require_POST
@require_perm("accounts.manage")
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators may only revoke a token (issuing is its own user's act, on 我的接口令牌)."""
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    services.revoke_api_token(actor=signed_in(request), token=token)
    messages.success(request, _("操作成功：令牌已作废"))
    return redirect("system:user_detail", pk=token.user_id)


# --- 我的接口令牌 ---------------------------------------------------------------------------------


@require_staff
def my_tokens(request: HttpRequest) -> HttpResponse:
    """One's own API tokens: issued here only, after entering the second factor again."""
    me = cast(User, request.user)  # require_staff: signed in
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        try:
            raw = services.issue_api_token(
                actor=signed_in(request), user=me, name=name, otp_token=form.cleaned_data["otp_token"]
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            # Shown once, in this response only: the database keeps just its hash.
            return render(request, T + "token_issued.html", {"token": raw, "name": name})
    tokens = ApiToken.objects.filter(user=me).order_by("-created")
    has_device = otp.confirmed_device(request.user) is not None
    status = 400 if form.errors else 200
    return render(
        request, T + "my_tokens.html", {"form": form, "tokens": tokens, "has_device": has_device}, status=status
    )


@require_POST
@require_staff
def my_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=cast(User, request.user)), pk=pk)
    services.revoke_api_token(actor=signed_in(request), token=token)
    messages.success(request, _("操作成功：令牌已作废"))
    return redirect("system:my_tokens")


# --- 安全管理 -------------------------------------------------------------------------------------


@require_perm("security.logs")
def login_log(request: HttpRequest) -> HttpResponse:
    form = forms.LoginEventFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    qs = selectors.login_events(
        username=f.get("username", ""),
        kind=f.get("kind", ""),
        ip=f.get("ip") or "",
        start=f.get("start"),
        end=f.get("end"),
    )
    return render(request, T + "login_log.html", {"form": form, **page_context(request, qs)})


@require_perm("security.manage")
def online(request: HttpRequest) -> HttpResponse:
    sessions = login_service.live_sessions()
    return render(request, T + "online.html", {"sessions": sessions})


@require_POST
@require_perm("security.manage")
def online_end(request: HttpRequest, pk: int) -> HttpResponse:
    live = get_object_or_404(UserSession.objects.select_related("user"), pk=pk)
    if live.session_key == request.session.session_key:
        messages.error(request, _("不能强退自己当前的会话，请使用“退出”"))
        return redirect("system:online")
    login_service.end_session(actor=signed_in(request), session_id=live.pk)
    messages.success(request, _("操作成功：%(name)s 已被强制退出") % {"name": live.user})
    return redirect("system:online")


@require_perm("security.manage")
def account_security(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    qs = selectors.users_with_otp(q=q)
    context = {
        "locked": selectors.locked_accounts(),
        "admins": selectors.guarded_admins(),
        "q": q,
        "unlock_form": forms.UnlockForm(),
    }
    return render(request, T + "account_security.html", context | page_context(request, qs))


@require_POST
@require_perm("security.manage")
def admin_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """停用/启用 an auditor's or security administrator's account (三员分立: not the system administrator)."""
    user = get_object_or_404(selectors.guarded_admins(), pk=pk)
    act(
        request,
        lambda: services.set_user_active(actor=signed_in(request), user=user, active=not user.is_active),
        _("操作成功：账号已停用") if user.is_active else _("操作成功：账号已启用"),
    )
    return redirect("system:account_security")


@require_POST
@require_perm("security.manage")
def admin_role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user", "region").filter(user__in=selectors.guarded_admins()), pk=pk
    )
    act(
        request,
        lambda: services.revoke_role(actor=signed_in(request), assignment=assignment),
        _("操作成功：已取消授权"),
    )
    return redirect("system:account_security")


@require_POST
@require_perm("security.manage")
def unlock(request: HttpRequest) -> HttpResponse:
    form = forms.UnlockForm(request.POST)
    if form.is_valid():
        count = login_service.unlock(actor=signed_in(request), username=form.cleaned_data["username"])
        messages.success(
            request,
            _("操作成功：已解锁 %(name)s（清除 %(n)d 次失败记录）")
            % {"name": form.cleaned_data["username"], "n": count},
        )
    else:
        messages.error(request, _("请填写用户名"))
    return redirect("system:account_security")


@require_POST
@require_perm("security.manage")
def otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    otp.reset_otp(actor=signed_in(request), user=user)
    messages.success(request, _("操作成功：%(name)s 下次登录时须重新绑定认证器") % {"name": user})
    return redirect("system:account_security")


# --- 操作日志 -------------------------------------------------------------------------------------


def _audit_filters(request: HttpRequest) -> tuple[forms.AuditFilterForm, dict[str, Any]]:
    form = forms.AuditFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    keys = ("actor", "action", "object_type", "object_id", "start", "end")
    return form, {k: f.get(k) or ("" if k not in {"start", "end"} else None) for k in keys}


@require_perm("audit.view")
def audit(request: HttpRequest) -> HttpResponse:
    form, filters = _audit_filters(request)
    qs = selectors.audit_entries(**filters)
    context = {"form": form, "object_types": selectors.audit_object_types(), **page_context(request, qs)}
    return render(request, T + "audit.html", context)


@require_perm("audit.view")
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(AuditEntry, pk=pk)
    return render(request, T + "audit_detail.html", {"entry": entry})


# Up to this many entries the export is answered at once; more run as a job with progress.
AUDIT_EXPORT_INLINE_ROWS = 5_000


@require_perm("audit.view")
def audit_export(request: HttpRequest) -> HttpResponse:

    _form, filters = _audit_filters(request)
    entries = selectors.audit_entries(**filters)
    if entries.count() > AUDIT_EXPORT_INLINE_ROWS:
        job = start_job(
            actor=signed_in(request),
            kind="core.audit.export",
            title=_("导出操作日志"),
            task=run_audit_export,
            params={"filters": audit_filters_to_params(filters), "ip": client_ip(request)},
        )
        return redirect(job_url(job))
    content = services.export_audit_entries(actor=signed_in(request), entries=entries.iterator(), filters=filters)
    return xlsx_response(content, "操作日志.xlsx")


# --- 区域管理 -------------------------------------------------------------------------------------

REGION_PERMS = services.REGION_PERMS
# Files larger than this are imported as a job with progress (as census imports are).
REGION_IMPORT_BACKGROUND_BYTES = 100 * 1024


@require_any_perm(*REGION_PERMS)
def regions(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    tree = selectors.region_tree(request.user, q=q)
    base = min((r.depth for r in tree), default=1)
    rows = [{"region": r, "indent": (r.depth - base) * 24} for r in tree]
    context = {
        "rows": rows,
        "q": q,
        "full": has_perm(request.user, "regions.edit"),
        "local_kinds": [str(k) for k in services.LOCAL_REGION_KINDS],
    }
    return render(request, T + "regions.html", context)


@require_any_perm(*REGION_PERMS)
def region_create(request: HttpRequest) -> HttpResponse:
    parents = selectors.regions_for_editor(request.user).exclude(kind=RegionKind.GRID)
    initial: dict[str, Any] = {}
    parent_pk = request.GET.get("parent", "")
    if parse_id(parent_pk):
        parent = parents.filter(pk=parent_pk).first()
        if parent is not None:
            initial = {"parent": parent, "kind": _child_kind(parent)}
    form = forms.RegionForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            region = services.add_region(
                actor=signed_in(request),
                code=d["code"],
                name=d["name"],
                kind=d["kind"],
                parent=d["parent"],
                short_name=d["short_name"],
                sort=d["sort"] or 0,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("操作成功：已新增 %(name)s") % {"name": region.name})
            return redirect("system:regions")
    return render(request, T + "region_form.html", {"form": form, "creating": True})


def _child_kind(parent: Region) -> str:
    return {
        RegionKind.CITY: RegionKind.DISTRICT,
        RegionKind.DISTRICT: RegionKind.STREET,
        RegionKind.ZONE: RegionKind.STREET,
        RegionKind.STREET: RegionKind.COMMUNITY,
        RegionKind.COMMUNITY: RegionKind.GRID,
    }.get(RegionKind(parent.kind), RegionKind.STREET)


@require_any_perm(*REGION_PERMS)
def region_edit(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_object_or_404(selectors.regions_for_editor(request.user), pk=pk)
    form = forms.RegionEditForm(
        request.POST or None,
        initial={"name": region.name, "short_name": region.short_name, "sort": region.sort, "active": region.active},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.change_region(
                actor=signed_in(request),
                region=region,
                name=d["name"],
                short_name=d["short_name"],
                sort=d["sort"] or 0,
                active=d["active"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("操作成功"))
            return redirect("system:regions")
    return render(request, T + "region_form.html", {"form": form, "region": region, "creating": False})


@require_any_perm(*REGION_PERMS)
def region_import(request: HttpRequest) -> HttpResponse:
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > REGION_IMPORT_BACKGROUND_BYTES:
            job = start_job(
                actor=signed_in(request),
                kind="core.region.import",
                title=_("导入区域 %(name)s") % {"name": upload.name},
                task=run_region_import,
                params={
                    "upload": stash_upload(upload),
                    "filename": upload.name,
                    "update_existing": form.cleaned_data["update_existing"],
                    "ip": client_ip(request),
                },
            )
            return redirect(job_url(job))
        try:
            sheet = read_rows(upload.read(), upload.name)
        except SheetError as exc:
            form.add_error("file", str(exc))
        else:
            result = services.import_regions(
                actor=signed_in(request), rows=sheet.rows, update_existing=form.cleaned_data["update_existing"]
            )
            if result.ok:
                messages.success(
                    request,
                    _("导入成功：新增 %(c)d 条，更新 %(u)d 条") % {"c": len(result.created), "u": len(result.updated)},
                )
                return redirect("system:regions")
    status = 400 if result is not None and not result.ok else 200
    return render(request, T + "region_import.html", {"form": form, "result": result}, status=status)


@require_any_perm(*REGION_PERMS)
def region_template(request: HttpRequest) -> HttpResponse:
    content = write_xlsx(
        list(services.REGION_IMPORT_COLUMNS),
        [["330212001", "示例街道", "330212", "镇街"], ["330212001001", "示例社区", "330212001", "社区"]],
        sheet_title="区域",
        widths=[18, 24, 18, 10],
        text_columns=[0, 2],
    )
    return xlsx_response(content, "区域导入模板.xlsx")


# --- 数据字典 -------------------------------------------------------------------------------------


@require_perm("dicts.edit")
def dicts(request: HttpRequest) -> HttpResponse:
    types = selectors.dict_types()
    current = request.GET.get("type") or (types[0]["dict_type"] if types else "")
    items = DictItem.objects.filter(dict_type=current)
    return render(request, T + "dicts.html", {"types": types, "current": current, **page_context(request, items)})


@require_perm("dicts.edit")
def dict_create(request: HttpRequest) -> HttpResponse:
    form = forms.DictItemForm(request.POST or None, initial={"dict_type": request.GET.get("type", "")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.add_dict_item(
                actor=signed_in(request),
                dict_type=d["dict_type"],
                value=d["value"],
                label=d["label"],
                sort=d["sort"] or 0,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("操作成功"))
            return redirect(f"{_url('system:dicts')}?type={item.dict_type}")
    return render(request, T + "dict_form.html", {"form": form, "creating": True})


@require_perm("dicts.edit")
def dict_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(DictItem, pk=pk)
    form = forms.DictItemEditForm(
        request.POST or None, initial={"label": item.label, "sort": item.sort, "active": item.active}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.update_dict_item(
            actor=signed_in(request), item=item, label=d["label"], sort=d["sort"] or 0, active=d["active"]
        )
        messages.success(request, _("操作成功"))
        return redirect(f"{_url('system:dicts')}?type={item.dict_type}")
    return render(request, T + "dict_form.html", {"form": form, "item": item, "creating": False})


def _url(name: str) -> str:

    return reverse(name)


# --- 工作日历 ---------------------------------------------------------------------------------------


@require_perm("calendar.edit")
def calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    days = CalendarDay.objects.filter(date__year=year).exclude(note="")
    edited = CalendarDay.objects.filter(date__year=year)
    context = {
        "year": year,
        "loaded": edited.exists(),
        "missing": workdays.missing_years([today.year, today.year + 1]),
        "years": [today.year - 1, today.year, today.year + 1],
        **page_context(request, days),
    }
    return render(request, T + "calendar.html", context)


@require_POST
@require_perm("calendar.edit")
def calendar_load(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("年份不正确。"))
        return redirect("system:calendar")
    act(
        request,
        lambda: workdays.load_year_by(actor=signed_in(request), year=year, plain=request.POST.get("plain") == "1"),
        _("已载入 %(year)s 年") % {"year": year},
    )
    return redirect(f"{_url('system:calendar')}?year={year}")


@require_POST
@require_perm("calendar.edit")
def calendar_set(request: HttpRequest) -> HttpResponse:
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        messages.error(request, _("日期不正确。"))
        return redirect("system:calendar")
    note = (request.POST.get("note") or "")[:60]
    workday = request.POST.get("is_workday") == "1"
    act(
        request,
        lambda: workdays.set_day(actor=signed_in(request), day=day, is_workday=workday, note=note),
        _("操作成功"),
    )
    return redirect(f"{_url('system:calendar')}?year={day.year}")
