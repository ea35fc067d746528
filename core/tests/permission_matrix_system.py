"""Routes of the system pages (core/system) and how each member of the cast must be answered.

三员分立 shows here: only the system administrator manages accounts, only the security
administrator ends sessions and unlocks, only the auditor reads the audit log."""

from __future__ import annotations

from typing import Any

from core.crypto import keyed_hash
from core.models import ApiToken, AuditEntry, DictItem, UserSession
from core.tests.matrix import Route, allow

STAFF = ("city", "district_a", "district_b", "auditor", "sysadmin", "secadmin")
REGION_EDITORS = ("city", "district_a", "district_b", "sysadmin")
CATALOGUE_EDITORS = ("city", "sysadmin")


def _requester(cast: Any) -> dict[str, Any]:
    return {"pk": cast.requester.pk}


def _requester_assignment(cast: Any) -> dict[str, Any]:
    return {"pk": cast.requester.role_assignments.get().pk}


def _auditor(cast: Any) -> dict[str, Any]:
    return {"pk": cast.auditor.pk}


def _auditor_assignment(cast: Any) -> dict[str, Any]:
    return {"pk": cast.auditor.role_assignments.get().pk}


def _token(cast: Any) -> dict[str, Any]:

    token = ApiToken.objects.create(user=cast.requester, name="对接", key_hash=keyed_hash("lm_x"), prefix="lm_x")
    return {"pk": token.pk}


def _live_session(cast: Any) -> dict[str, Any]:

    live = UserSession.objects.create(session_key="k" * 32, user=cast.worker_a)
    return {"pk": live.pk}


def _audit_entry(cast: Any) -> dict[str, Any]:

    return {"pk": AuditEntry.objects.order_by("id").first().pk}  # type: ignore[union-attr]


def _street_in_a(cast: Any) -> dict[str, Any]:
    return {"pk": cast.region_a.children.order_by("code").first().pk}


def _first_dict_item(cast: Any) -> dict[str, Any]:

    return {"pk": DictItem.objects.order_by("id").first().pk}  # type: ignore[union-attr]


ROUTES = [
    # 用户管理: the system administrator only.
    Route("system:users", expect=allow("sysadmin")),
    Route("system:user_create", expect=allow("sysadmin")),
    Route("system:user_detail", kwargs=_requester, expect=allow("sysadmin")),
    Route("system:user_toggle", method="post", kwargs=_requester, expect=allow("sysadmin", status=302)),
    Route("system:user_password", kwargs=_requester, expect=allow("sysadmin")),
    Route(
        "system:role_grant",
        method="post",
        kwargs=_requester,
        data={"role": "team_leader", "region": ""},
        expect=allow("sysadmin", status=302),
    ),
    Route("system:role_revoke", method="post", setup=_requester_assignment, expect=allow("sysadmin", status=302)),
    Route("system:token_revoke", method="post", setup=_token, expect=allow("sysadmin", status=302)),
    # 我的接口令牌: every member of staff, for their own account (someone else's token: 404).
    Route("system:my_tokens", expect=allow(*STAFF)),
    Route(
        "system:my_token_revoke",
        method="post",
        setup=_token,
        expect={**allow(*STAFF, status=404), "anonymous": 302},
    ),
    # 安全管理: logs for the security administrator and the auditor; acts for the security administrator.
    Route("system:login_log", expect=allow("secadmin", "auditor")),
    Route("system:online", expect=allow("secadmin")),
    Route("system:online_end", method="post", setup=_live_session, expect=allow("secadmin", status=302)),
    Route("system:account_security", expect=allow("secadmin")),
    Route("system:unlock", method="post", data={"username": "nobody"}, expect=allow("secadmin", status=302)),
    Route("system:admin_toggle", method="post", kwargs=_auditor, expect=allow("secadmin", status=302)),
    Route("system:admin_role_revoke", method="post", setup=_auditor_assignment, expect=allow("secadmin", status=302)),
    Route("system:otp_reset", method="post", kwargs=_requester, expect=allow("secadmin", status=302)),
    # 操作日志: the auditor only (not the system administrator).
    Route("system:audit", expect=allow("auditor")),
    Route("system:audit_export", expect=allow("auditor")),
    Route("system:audit_detail", setup=_audit_entry, expect=allow("auditor")),
    # 区域管理: the whole tree (city staff, sysadmin) or one's own district (district staff).
    Route("system:regions", expect=allow(*REGION_EDITORS)),
    Route("system:region_create", expect=allow(*REGION_EDITORS)),
    Route("system:region_edit", setup=_street_in_a, expect={**allow(*REGION_EDITORS), "district_b": 404}),
    Route("system:region_import", expect=allow(*REGION_EDITORS)),
    Route("system:region_template", expect=allow(*REGION_EDITORS)),
    # 数据字典 (the registry's catalogues are in people's matrix).
    Route("system:dicts", expect=allow(*CATALOGUE_EDITORS)),
    Route("system:dict_create", expect=allow(*CATALOGUE_EDITORS)),
    Route("system:dict_edit", setup=_first_dict_item, expect=allow(*CATALOGUE_EDITORS)),
    # 工作日历: a bad year or date is a message and a redirect, never a 500.
    Route("system:calendar", expect=allow(*CATALOGUE_EDITORS)),
    Route("system:calendar_load", method="post", data={"year": "x"}, expect=allow(*CATALOGUE_EDITORS, status=302)),
    Route("system:calendar_set", method="post", data={"date": "bad"}, expect=allow(*CATALOGUE_EDITORS, status=302)),
]
