"""The system pages end to end: accounts and roles, tokens, security, the audit log (search,
paging, export; append-only on PostgreSQL; retention), regions with import, dictionaries and the
two catalogues. Every write leaves an audit entry."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from core.audit import log_action, purge_audit_log
from core.crypto import keyed_hash
from core.errors import DomainError
from core.models import ApiToken, AuditEntry, DictItem, LoginEvent, Region, Role, RoleAssignment, User, UserSession
from core.services import add_region, assign_role, create_user, import_regions, issue_api_token
from core.sheetreader import read_rows
from core.system import urls
from core.tests.regions import BAD_ROWS, GOOD_ROWS, region_upload
from tests.cast import PASSWORD, current_token, login

STRONG = "Ningbo-Port-2026"


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- 用户管理 -----------------------------------------------------------------------------------


def test_create_user_refuses_weak_password_and_accepts_strong(cast: Any, client_for: Any) -> None:
    admin = client_for("sysadmin")
    data = {"username": "zhangsan", "display_name": "张三", "mobile": "", "email": ""}
    weak = admin.post(reverse("system:user_create"), data | {"password": "zhangsan12", "password2": "zhangsan12"})
    assert weak.status_code == 200
    assert "密码须包含大写字母、小写字母、数字、符号中的至少三类" in weak.context["form"].errors["password"][0]
    assert not User.objects.filter(username="zhangsan").exists()
    mismatch = admin.post(reverse("system:user_create"), data | {"password": STRONG, "password2": STRONG + "x"})
    assert mismatch.context["form"].errors["password2"] == ["两次输入的密码不一致"]
    ok = admin.post(reverse("system:user_create"), data | {"password": STRONG, "password2": STRONG})
    user = User.objects.get(username="zhangsan")
    assert ok["Location"] == reverse("system:user_detail", args=[user.pk])
    assert user.check_password(STRONG) and user.display_name == "张三"
    assert AuditEntry.objects.get(action="core.user.created", object_id=str(user.pk)).actor == cast.sysadmin
    duplicate = admin.post(reverse("system:user_create"), data | {"password": STRONG, "password2": STRONG})
    assert duplicate.context["form"].errors["username"] == ["用户名 zhangsan 已存在"]


def test_user_list_filters_and_counts(cast: Any, client_for: Any) -> None:
    admin = client_for("sysadmin")
    all_users = admin.get(reverse("system:users"))
    assert all_users.context["page"].paginator.count == 10
    staff = admin.get(reverse("system:users"), {"role": Role.DISTRICT_STAFF})
    assert [u.username for u in staff.context["page"].object_list] == ["district_a", "district_b"]
    found = admin.get(reverse("system:users"), {"q": "worker"})
    assert [u.username for u in found.context["page"].object_list] == ["worker_a", "worker_b"]
    paged = admin.get(reverse("system:users"), {"size": "10", "page": "1"})
    assert "共 10 条" in paged.content.decode()


def test_grant_and_revoke_roles_through_the_page(cast: Any, client_for: Any) -> None:
    admin = client_for("sysadmin")
    target = cast.requester
    url = reverse("system:role_grant", args=[target.pk])
    no_region = admin.post(url, {"role": Role.DISTRICT_STAFF, "region": ""}, follow=True)
    assert _messages(no_region) == ["区县工作人员必须指定数据范围"]
    ok = admin.post(url, {"role": Role.DISTRICT_STAFF, "region": str(cast.region_b.pk)}, follow=True)
    assert _messages(ok) == ["操作成功：已授权"]
    assignment = RoleAssignment.objects.get(user=target, role=Role.DISTRICT_STAFF)
    assert (assignment.region, assignment.granted_by) == (cast.region_b, cast.sysadmin)
    separated = admin.post(
        reverse("system:role_grant", args=[cast.auditor.pk]), {"role": Role.SECADMIN, "region": ""}, follow=True
    )
    assert _messages(separated) == ["系统管理员、安全管理员、审计员三员分立，同一人不能兼任"]
    revoke = admin.post(reverse("system:role_revoke", args=[assignment.pk]), follow=True)
    assert _messages(revoke) == ["操作成功：已取消授权"]
    assert list(RoleAssignment.objects.filter(user=target).values_list("role", flat=True)) == [Role.REQUESTER]
    assert [e.changes for e in AuditEntry.objects.filter(action="core.role.revoked")] == [
        {"role": "district_staff", "region": "海曙区"}
    ]


def test_disable_and_enable_user(cast: Any, client_for: Any) -> None:
    admin = client_for("sysadmin")
    url = reverse("system:user_toggle", args=[cast.worker_a.pk])
    admin.post(url)
    cast.worker_a.refresh_from_db()
    assert cast.worker_a.is_active is False
    assert Client().post("/accounts/login/", {"username": "worker_a", "password": PASSWORD}).status_code == 200
    admin.post(url)
    cast.worker_a.refresh_from_db()
    assert cast.worker_a.is_active is True
    assert list(
        AuditEntry.objects.filter(object_id=str(cast.worker_a.pk), action__startswith="core.user.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["core.user.created", "core.user.disabled", "core.user.enabled"]
    own = admin.post(reverse("system:user_toggle", args=[cast.sysadmin.pk]), follow=True)
    assert _messages(own)[-1] == "不能停用自己的账号"


def test_reset_password_ends_the_users_sessions(cast: Any, client_for: Any) -> None:
    victim = Client()
    victim.post("/accounts/login/", {"username": "worker_a", "password": PASSWORD})
    key = victim.session.session_key
    admin = client_for("sysadmin")
    url = reverse("system:user_password", args=[cast.worker_a.pk])
    response = admin.post(url, {"password": STRONG, "password2": STRONG})
    assert response.status_code == 302
    assert Session.objects.filter(session_key=key).exists() is False
    assert UserSession.objects.filter(user=cast.worker_a).count() == 0
    assert victim.get("/").status_code == 302
    cast.worker_a.refresh_from_db()
    assert cast.worker_a.check_password(STRONG)
    assert AuditEntry.objects.get(action="core.user.password_reset").changes == {"sessions_ended": 1}


def test_administrators_passwords_cannot_be_reset_by_another(cast: Any, client_for: Any) -> None:
    admin = client_for("sysadmin")
    for target in [cast.auditor, cast.secadmin]:
        response = admin.post(
            reverse("system:user_password", args=[target.pk]), {"password": STRONG, "password2": STRONG}
        )
        assert response.context["form"].non_field_errors() == [
            "系统管理员、安全管理员、审计员的密码不能由他人重置；请由运维人员在服务器上执行 manage.py changepassword"
        ]
        target.refresh_from_db()
        assert target.check_password(PASSWORD)


def _queries_for(client: Client, url: str) -> int:

    client.get(url)  # a session's first request refreshes its idle timeout (a write): count a later one
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_run_a_fixed_number_of_queries(cast: Any, client_for: Any) -> None:

    admin, secadmin, auditor = client_for("sysadmin"), client_for("secadmin"), client_for("auditor")
    urls = [
        (admin, reverse("system:users")),
        (secadmin, reverse("system:account_security")),
        (secadmin, reverse("system:login_log")),
        (auditor, reverse("system:audit")),
        (client_for("city"), reverse("system:regions")),
    ]
    Client().post("/accounts/login/", {"username": "worker_a", "password": "wrong"})  # one row in the login log
    before = [_queries_for(c, u) for c, u in urls]
    for i in range(3):
        user = create_user(actor=None, username=f"extra{i}", password=STRONG)
        assign_role(actor=None, user=user, role=Role.DISTRICT_STAFF, region=cast.region_a)
        Client().post("/accounts/login/", {"username": f"extra{i}", "password": "wrong"})
        Region.objects.create(
            code=f"33021200{i}9",
            name=f"新街道{i}",
            kind="street",
            parent=cast.region_a,
            path=f"{cast.region_a.path}33021200{i}9.",
        )
    assert [_queries_for(c, u) for c, u in urls] == before


def _device(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def test_api_token_is_issued_by_its_user_with_the_second_factor(cast: Any, client_for: Any) -> None:
    city = client_for("city")
    response = city.post(
        reverse("system:my_tokens"), {"name": "人社局对接", "otp_token": current_token(_device(cast.city))}
    )
    raw = response.context["token"]
    assert raw.startswith("lm_") and raw in response.content.decode()
    token = ApiToken.objects.get(user=cast.city)
    assert (token.key_hash, token.prefix, token.name) == (keyed_hash(raw), raw[:8], "人社局对接")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/core/messages").status_code == 200
    own = city.get(reverse("system:my_tokens")).content.decode()
    assert raw not in own and raw[:8] in own
    # The system administrator sees it and may revoke it, nothing more.
    admin = client_for("sysadmin")
    detail = admin.get(reverse("system:user_detail", args=[cast.city.pk])).content.decode()
    assert raw not in detail and raw[:8] in detail
    admin.post(reverse("system:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked is True
    assert api.get("/api/core/messages").status_code == 401
    entries = AuditEntry.objects.filter(action__startswith="core.api_token").order_by("id")
    assert [(e.action, e.actor_id, e.object_id) for e in entries] == [
        ("core.api_token.issued", cast.city.pk, str(cast.city.pk)),
        ("core.api_token.revoked", cast.sysadmin.pk, str(cast.city.pk)),
    ]
    assert raw not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_api_token_refused_without_the_right_code(cast: Any, client_for: Any) -> None:
    city = client_for("city")
    right = current_token(_device(cast.city))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = city.post(reverse("system:my_tokens"), {"name": "对接", "otp_token": wrong})
    assert response.status_code == 400
    assert response.context["form"].errors == {"otp_token": ["动态口令不正确或已过期，请输入认证器上最新的6位数字"]}
    response = city.post(reverse("system:my_tokens"), {"name": "对接", "otp_token": ""})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["otp_token"]
    assert ApiToken.objects.count() == 0
    assert LoginEvent.objects.filter(user=cast.city, kind=LoginEvent.Kind.OTP_FAILED).count() == 1
    # After wrong codes django-otp makes one wait (1, 2, 4, ... seconds), and the page says so.
    TOTPDevice.objects.filter(user=cast.city).update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    response = city.post(reverse("system:my_tokens"), {"name": "对接", "otp_token": right})
    (message,) = response.context["form"].errors["otp_token"]
    assert message.startswith("动态口令错误次数过多，请") and message.endswith("秒后再试")
    assert ApiToken.objects.count() == 0


def test_nobody_issues_a_token_for_someone_else(cast: Any, client_for: Any) -> None:
    admin = client_for("sysadmin")
    code = current_token(_device(cast.sysadmin))
    with pytest.raises(DomainError) as exc:
        issue_api_token(actor=cast.sysadmin, user=cast.city, name="冒用", otp_token=code)
    assert exc.value.message == "接口令牌只能由本人签发；管理员只能作废令牌"
    page = admin.get(reverse("system:user_detail", args=[cast.city.pk])).content.decode()
    assert 'name="otp_token"' not in page and "签发令牌" not in page
    assert ApiToken.objects.count() == 0
    assert AuditEntry.objects.filter(action="core.api_token.issued").count() == 0


def test_someone_elses_token_cannot_be_revoked_on_my_tokens(cast: Any, client_for: Any) -> None:
    raw = issue_api_token(actor=None, user=cast.district_a, name="脚本")
    token = ApiToken.objects.get(key_hash=keyed_hash(raw))
    assert client_for("city").post(reverse("system:my_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked is False
    assert client_for("district_a").post(reverse("system:my_token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked is True


# --- 安全管理 -----------------------------------------------------------------------------------


def test_login_log_filters(cast: Any, client_for: Any) -> None:
    anon = Client()
    anon.post("/accounts/login/", {"username": "worker_a", "password": "nope"})
    anon.post("/accounts/login/", {"username": "worker_b", "password": PASSWORD})
    secadmin = client_for("secadmin")
    failed = secadmin.get(reverse("system:login_log"), {"kind": "failed"})
    assert [(e.username, e.kind) for e in failed.context["page"].object_list] == [("worker_a", "failed")]
    by_name = secadmin.get(reverse("system:login_log"), {"username": "worker_b"})
    assert [e.kind for e in by_name.context["page"].object_list] == ["login"]
    today = timezone.localdate()
    future = secadmin.get(reverse("system:login_log"), {"start": (today + dt.timedelta(days=1)).isoformat()})
    assert future.context["page"].paginator.count == 0
    assert "暂无数据" in future.content.decode()
    bad = secadmin.get(reverse("system:login_log"), {"start": today.isoformat(), "end": "2000-01-01"})
    assert bad.context["form"].errors["end"] == ["结束日期不能早于开始日期"]


def test_security_admin_cannot_end_own_session(cast: Any) -> None:
    client = Client()

    login(client, cast.secadmin)
    live = UserSession.objects.create(session_key=str(client.session.session_key), user=cast.secadmin)
    response = client.post(reverse("system:online_end", args=[live.pk]), follow=True)
    assert _messages(response) == ["不能强退自己当前的会话，请使用“退出”"]
    assert UserSession.objects.filter(pk=live.pk).exists()


# --- 操作日志 -----------------------------------------------------------------------------------


def _seed_audit(cast: Any) -> None:
    for i in range(25):
        log_action(cast.city, "people.person.updated", cast.person_a, changes={"notes": [str(i), str(i + 1)]})
    log_action(cast.district_b, "people.person.revealed_id", cast.person_b)


def test_audit_search_by_actor_action_object_and_date(cast: Any, client_for: Any) -> None:
    _seed_audit(cast)
    auditor = client_for("auditor")
    url = reverse("system:audit")
    by_actor = auditor.get(url, {"actor": "district_b"})
    assert [e.action for e in by_actor.context["page"].object_list] == ["people.person.revealed_id"]
    by_action = auditor.get(url, {"action": "people.person.updated"})
    assert by_action.context["page"].paginator.count == 25
    assert len(by_action.context["page"].object_list) == 20
    second = auditor.get(url, {"action": "people.person.updated", "page": "2"})
    assert len(second.context["page"].object_list) == 5
    by_object = auditor.get(url, {"object_type": "people.person", "object_id": str(cast.person_b.pk)})
    assert [(e.action, e.object_id) for e in by_object.context["page"].object_list] == [
        ("people.person.revealed_id", str(cast.person_b.pk)),
        ("people.person.created", str(cast.person_b.pk)),
    ]
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    old = auditor.get(url, {"end": yesterday})
    assert old.context["page"].paginator.count == 0
    detail = auditor.get(reverse("system:audit_detail", args=[by_actor.context["page"].object_list[0].pk]))
    assert detail.status_code == 200


def test_audit_export_is_filtered_masked_and_logged(cast: Any, client_for: Any) -> None:
    _seed_audit(cast)
    log_action(cast.city, "people.person.note", cast.person_a, changes={"note": "号码 330212196503120013"})
    auditor = client_for("auditor")
    response = auditor.get(reverse("system:audit_export"), {"actor": "city"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("时间", "操作人", "操作", "对象类型", "对象编号", "对象", "变更内容", "IP")
    assert len(rows) == 1 + 26
    assert {r[1] for r in rows[1:]} == {"city"}
    assert "330212196503120013" not in str(rows)
    export = AuditEntry.objects.get(action="core.audit.exported")
    assert (export.actor, export.changes) == (cast.auditor, {"filters": {"actor": "city"}, "count": 26})


def test_audit_log_has_no_edit_or_delete_routes() -> None:

    names = {p.name for p in urls.urlpatterns if p.name and p.name.startswith("audit")}
    assert names == {"audit", "audit_detail", "audit_export"}


@pytest.mark.postgres
def test_audit_entries_cannot_be_updated_or_deleted_on_postgres(cast: Any) -> None:
    entry = log_action(cast.city, "people.person.updated", cast.person_a)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditentry")
    assert AuditEntry.objects.get(pk=entry.pk).action == "people.person.updated"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "setting",
    [
        "SET LOCAL laomo.audit_purge = 'on'",  # the old switch
        "SET LOCAL laomo.audit_purge_before = '2999-01-01'",  # the purge's cutoff, set by hand
    ],
)
def test_no_session_setting_lets_a_young_entry_go_on_postgres(cast: Any, setting: str) -> None:
    _insert_aged("age.100", 100)
    young = AuditEntry.objects.get(action="age.100")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(setting)
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [young.pk])
    assert AuditEntry.objects.filter(pk=young.pk).exists()


def test_audit_entries_cannot_be_updated_or_deleted_on_any_database(cast: Any) -> None:
    """SQLite too: triggers refuse UPDATE always and DELETE outside the purge, even of old rows."""
    entry = log_action(cast.city, "people.person.updated", cast.person_a)
    _insert_aged("age.400", 400)
    old = AuditEntry.objects.get(action="age.400")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=old.pk).update(action="tampered")
    for pk in (entry.pk, old.pk):
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(pk=pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    assert sorted(AuditEntry.objects.filter(pk__in=[entry.pk, old.pk]).values_list("action", flat=True)) == [
        "age.400",
        "people.person.updated",
    ]


def test_the_guard_triggers_survive_every_migration(db: None) -> None:
    """SQLite rebuilds a table to alter it, dropping its triggers: a later migration of
    ``AuditEntry`` must create them again (copy 0005's), or this fails."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditentry'")
            expected = ["laomo_audit_no_delete", "laomo_audit_no_update"]
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditentry'::regclass AND NOT tgisinternal"
            )
            expected = ["laomo_audit_append_only", "laomo_audit_no_truncate"]
        assert sorted(row[0] for row in cursor.fetchall()) == expected


def test_a_purge_cutoff_younger_than_six_months_deletes_nothing(db: None, settings: Any) -> None:
    """The trigger holds the six months itself: a purge told to cut at 100 days is refused."""
    _insert_aged("age.100", 100)
    settings.AUDIT_RETENTION_DAYS = 365
    with pytest.raises(DatabaseError):
        purge_audit_log(now=timezone.now() + dt.timedelta(days=300))  # as if the clock ran ahead
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["age.100"]


def _insert_aged(action: str, days: int) -> None:
    """Old entries can only be made by INSERT: the trigger refuses UPDATE."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditentry (created, actor_name, action, object_type, object_id, object_repr, changes)"
            " VALUES (%s, '', %s, '', '', '', %s)",
            [timezone.now() - dt.timedelta(days=days), action, "{}"],
        )


@pytest.mark.parametrize(("retention", "kept", "purged"), [(1, [182, 100], [184, 400]), (365, [364], [366])])
def test_purge_keeps_at_least_six_months(db: None, settings: Any, retention: int, kept: list, purged: list) -> None:
    settings.AUDIT_RETENTION_DAYS = retention
    for days in kept + purged:
        _insert_aged(f"age.{days}", days)
    out = io.StringIO()
    call_command("purge_audit_log", stdout=out)
    remaining = sorted(
        int(a.split(".")[1])
        for a in AuditEntry.objects.filter(action__startswith="age.").values_list("action", flat=True)
    )
    assert remaining == sorted(kept)
    assert out.getvalue().startswith(f"deleted {len(purged)} audit entries")
    purge = AuditEntry.objects.get(action="core.audit.purged")
    days = max(retention, 183)
    assert (purge.actor_id, purge.changes["count"], purge.changes["retention_days"]) == (None, len(purged), days)


# --- 区域管理 -----------------------------------------------------------------------------------


def test_region_tree_is_scoped(cast: Any, client_for: Any) -> None:
    city_rows = client_for("city").get(reverse("system:regions")).context["rows"]
    assert len(city_rows) == Region.objects.count()
    a_rows = client_for("district_a").get(reverse("system:regions")).context["rows"]
    codes = [r["region"].code for r in a_rows]
    assert codes[0] == "330212" and all(c.startswith("330212") for c in codes)
    assert a_rows[0]["indent"] == 0 and a_rows[1]["indent"] == 24
    district_edit = f'href="{reverse("system:region_edit", args=[cast.region_a.pk])}"'
    assert district_edit not in client_for("district_a").get(reverse("system:regions")).content.decode()
    assert district_edit in client_for("city").get(reverse("system:regions")).content.decode()
    found = client_for("city").get(reverse("system:regions"), {"q": "中河"}).context["rows"]
    assert [r["region"].name for r in found][-1] == "中河街道"
    assert [r["region"].code for r in found][:3] == ["330000", "330200", "330212"]


def test_district_staff_add_streets_in_their_own_district_only(cast: Any, client_for: Any) -> None:
    client = client_for("district_a")
    url = reverse("system:region_create")
    ok = client.post(url, {"code": "330212999", "name": "新城街道", "kind": "street", "parent": cast.region_a.pk})
    assert ok.status_code == 302
    street = Region.objects.get(code="330212999")
    assert (street.parent, street.path) == (cast.region_a, cast.region_a.path + "330212999.")
    other = client.post(url, {"code": "330203999", "name": "越界街道", "kind": "street", "parent": cast.region_b.pk})
    assert other.status_code == 200 and "parent" in other.context["form"].errors
    city = Region.objects.get(code="330200")
    district = client.post(url, {"code": "330299", "name": "新区", "kind": "district", "parent": city.pk})
    assert "parent" in district.context["form"].errors or "kind" in district.context["form"].errors
    assert not Region.objects.filter(code__in=["330203999", "330299"]).exists()
    with pytest.raises(DomainError) as exc:
        add_region(actor=cast.district_a, code="330299", name="新区", kind="district", parent=cast.region_a)
    assert exc.value.message == "区县工作人员只能维护本区县的镇街、社区/村和网格"
    with pytest.raises(DomainError) as exc:
        add_region(actor=cast.district_a, code="330203998", name="越界", kind="street", parent=cast.region_b)
    assert exc.value.message == "上级区域不在你的数据范围内"


def test_region_edit_logs_before_and_after(cast: Any, client_for: Any) -> None:
    street = Region.objects.get(code="330212001")
    response = client_for("district_a").post(
        reverse("system:region_edit", args=[street.pk]), {"name": "中河街道办", "short_name": "中河", "sort": "3"}
    )
    assert response.status_code == 302
    street.refresh_from_db()
    assert (street.name, street.short_name, street.sort, street.active) == ("中河街道办", "中河", 3, False)
    entry = AuditEntry.objects.get(action="core.region.updated")
    assert entry.changes == {
        "name": ["中河街道", "中河街道办"],
        "short_name": ["", "中河"],
        "sort": [0, 3],
        "active": [True, False],
    }
    # The district itself is visible to its staff, but only streets and below may be changed.
    district_page = client_for("district_a").get(reverse("system:region_edit", args=[cast.region_a.pk]))
    assert district_page.status_code == 200
    refused = client_for("district_a").post(
        reverse("system:region_edit", args=[cast.region_a.pk]), {"name": "改名", "active": "on"}
    )
    assert refused.context["form"].non_field_errors() == ["区县工作人员只能维护本区县的镇街、社区/村和网格"]
    cast.region_a.refresh_from_db()
    assert cast.region_a.name == "鄞州区"


def test_region_import_all_or_nothing_with_row_report(cast: Any, client_for: Any) -> None:
    client = client_for("district_a")
    url = reverse("system:region_import")
    bad = client.post(url, region_upload(BAD_ROWS))
    assert bad.status_code == 400
    report = [(e.row, e.column) for e in bad.context["result"].errors]
    assert report == [(4, "上级代码"), (5, "区划代码"), (6, "类型"), (7, "区划代码"), (8, "区划代码"), (9, "上级代码")]
    messages = {e.row: e.problem for e in bad.context["result"].errors}
    assert messages[4] == "上级区域不在你的数据范围内"
    assert messages[7] == "区划代码 330212101001 在文件中重复"
    assert messages[8] == "区划代码 330212001 已存在"
    assert "洞桥社区" not in [r.name for r in Region.objects.all()]
    assert not AuditEntry.objects.filter(action="core.region.imported").exists()
    html = bad.content.decode()
    assert "Excel 行号" in html and "先在区域管理中建立上级区域" in html

    good = client.post(url, region_upload(GOOD_ROWS, update=True))
    assert good.status_code == 302
    grid = Region.objects.get(code="330212101001001")
    assert grid.path == cast.region_a.path + "330212101.330212101001.330212101001001."
    assert Region.objects.get(code="330212001").name == "中河街道（新）"
    assert AuditEntry.objects.get(action="core.region.imported").changes == {"created": 2, "updated": 1}


def test_region_import_reads_gb18030_csv_and_numeric_cells(cast: Any) -> None:

    result = import_regions(actor=cast.city, rows=[["代码", "名字"], ["1", "x"]])
    assert [(e.row, e.problem) for e in result.errors] == [(1, "找不到表头")]
    csv = "宁波市区域表\r\n区划代码,名称,上级代码,类型\r\n330212556,文本街道,330212,街道\r\n".encode("gb18030")
    result = import_regions(actor=cast.city, rows=read_rows(csv, "区域.csv").rows)
    assert result.ok and [(r.code, r.name) for r in result.created] == [("330212556", "文本街道")]
    # Excel cells typed as numbers arrive as int/float: 330212.0 is still the code 330212.
    rows: list[list[Any]] = [["区划代码", "名称", "上级代码", "类型"], [330212555, "数字代码街道", 330212.0, "镇"]]
    result = import_regions(actor=cast.city, rows=rows)
    assert result.ok and [r.path for r in result.created] == [cast.region_a.path + "330212555."]


def test_region_template_downloads(cast: Any, client_for: Any) -> None:
    response = client_for("city").get(reverse("system:region_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert next(sheet.iter_rows(values_only=True)) == ("区划代码", "名称", "上级代码", "类型")


# --- 数据字典、目录 -------------------------------------------------------------------------------


def test_dictionary_create_and_edit(cast: Any, client_for: Any) -> None:
    client = client_for("city")
    page = client.get(reverse("system:dicts"), {"type": "education"})
    assert page.context["page"].paginator.count == 8
    created = client.post(
        reverse("system:dict_create"), {"dict_type": "education", "value": "技工院校", "label": "技工院校", "sort": "9"}
    )
    assert created["Location"] == reverse("system:dicts") + "?type=education"
    dup = client.post(
        reverse("system:dict_create"), {"dict_type": "education", "value": "技工院校", "label": "x", "sort": "1"}
    )
    assert dup.context["form"].errors["value"] == ["字典“education”中已有键值“技工院校”"]
    item = DictItem.objects.get(dict_type="education", value="技工院校")
    client.post(reverse("system:dict_edit", args=[item.pk]), {"label": "技工学校", "sort": "9"})
    item.refresh_from_db()
    assert (item.value, item.label, item.active) == ("技工院校", "技工学校", False)
    assert AuditEntry.objects.get(action="core.dict.updated").changes == {
        "label": ["技工院校", "技工学校"],
        "active": [True, False],
    }


def test_menu_shows_the_system_group_by_role(cast: Any, client_for: Any) -> None:
    def items(member: str) -> list[str]:
        menu = client_for(member).get("/").context["nav_menu"]
        return [str(i["label"]) for g in menu if str(g["title"]) == "系统管理" for i in g["items"]]

    assert items("sysadmin") == ["用户管理", "区域管理", "数据字典", "工作日历", "荣誉称号", "工种"]
    assert items("secadmin") == ["账号安全", "在线用户", "登录日志"]
    assert items("auditor") == ["登录日志", "操作日志"]
    assert items("district_a") == ["区域管理"]
    assert items("city") == ["区域管理", "数据字典", "工作日历", "荣誉称号", "工种"]


def test_migration_revokes_tokens_an_administrator_issued_for_someone_else(cast: Any) -> None:

    migration = importlib.import_module("core.migrations.0004_revoke_api_tokens_issued_by_others")
    others = issue_api_token(actor=None, user=cast.city, name="代签")
    own = issue_api_token(actor=None, user=cast.district_a, name="自签")
    log_action(cast.sysadmin, "core.api_token.issued", cast.city, changes={"name": "代签"})
    log_action(cast.district_a, "core.api_token.issued", cast.district_a, changes={"name": "自签"})
    migration.forwards(apps, None)
    revoked = dict(ApiToken.objects.values_list("key_hash", "revoked"))
    assert (revoked[keyed_hash(others)], revoked[keyed_hash(own)]) == (True, False)
