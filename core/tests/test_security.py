"""Sign-in policy end to end through the real HTTP stack: lockout, idle timeout, the second factor
for staff, no session fixation, logout and 强退 ending the server-side session, password rules,
and the separation of the three administrators (三员分立)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import DomainError
from core.login import GENERIC_FAILURE, LOCKED_MESSAGE
from core.middleware import IdleTimeoutMiddleware
from core.models import AuditEntry, LoginEvent, LoginFailure, Role, UserSession
from core.passwords import CharacterClassValidator
from core.services import assign_role, create_user, revoke_role, set_user_active
from tests.cast import PASSWORD, login

LOGIN = "/accounts/login/"
LOCKED = LOCKED_MESSAGE.format(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _post_login(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def _error_of(response: Any) -> str:
    return str(response.context["error"])


# --- lockout -----------------------------------------------------------------------------------


def test_lockout_same_message_for_known_and_unknown_users(cast: Any) -> None:
    client = Client()
    known = [_error_of(_post_login(client, "worker_a", "wrong-password")) for _ in range(settings.LOGIN_MAX_FAILURES)]
    unknown = [_error_of(_post_login(client, "no_such_user", "wrong")) for _ in range(settings.LOGIN_MAX_FAILURES)]
    expected = [GENERIC_FAILURE] * (settings.LOGIN_MAX_FAILURES - 1) + [LOCKED]
    assert known == expected
    assert unknown == expected
    assert LoginFailure.objects.filter(username="worker_a").count() == settings.LOGIN_MAX_FAILURES
    assert LoginEvent.objects.filter(username="no_such_user", kind=LoginEvent.Kind.FAILED).count() == 5


def test_locked_account_refuses_the_right_password_too(cast: Any) -> None:
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _post_login(client, "worker_a", "wrong-password")
    response = _post_login(client, "worker_a", PASSWORD)
    assert response.status_code == 200
    assert _error_of(response) == LOCKED
    assert "_auth_user_id" not in client.session
    assert LoginEvent.objects.filter(username="worker_a", kind=LoginEvent.Kind.LOCKED).count() == 1


def test_lockout_counts_by_normalised_name(cast: Any) -> None:
    client = Client()
    for name in ["Worker_A", " worker_a ", "WORKER_A", "worker_a", "worker_A"]:
        _post_login(client, name, "wrong-password")
    assert _error_of(_post_login(client, "worker_a", PASSWORD)) == LOCKED


def test_lockout_expires_after_the_window(cast: Any) -> None:
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _post_login(client, "worker_a", "wrong-password")
    LoginFailure.objects.update(created=timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1))
    response = _post_login(client, "worker_a", PASSWORD)
    assert response.status_code == 302
    assert LoginFailure.objects.filter(username="worker_a").count() == 0


def test_unlock_by_security_admin_lets_the_user_in(cast: Any, client_for: Any) -> None:
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _post_login(client, "worker_a", "wrong-password")
    secadmin = client_for("secadmin")
    page = secadmin.get(reverse("system:account_security"))
    assert [a.username for a in page.context["locked"]] == ["worker_a"]
    assert secadmin.post(reverse("system:unlock"), {"username": "worker_a"}).status_code == 302
    assert _post_login(client, "worker_a", PASSWORD).status_code == 302
    entry = AuditEntry.objects.get(action="security.account.unlocked")
    assert (entry.actor_id, entry.object_repr) == (cast.secadmin.pk, "worker_a")


# --- idle timeout ------------------------------------------------------------------------------


def test_session_age_is_an_idle_timeout() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert "core.middleware.IdleTimeoutMiddleware" in settings.MIDDLEWARE


def _last_refresh_ago(client: Client, seconds: int) -> None:

    session = client.session
    session[IdleTimeoutMiddleware.KEY] = int(time.time()) - seconds
    session.save()


def test_a_request_a_minute_after_the_last_refresh_pushes_the_expiry_forward(cast: Any) -> None:
    client = Client()
    assert _post_login(client, "worker_a", PASSWORD).status_code == 302
    key = client.session.session_key
    _last_refresh_ago(client, 61)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    client.get(reverse("core:home"))
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + dt.timedelta(minutes=29)


def test_requests_within_a_minute_write_no_session(cast: Any) -> None:
    """Reading pages costs no session write each time: the expiry moves at most once a minute,
    so the idle timeout is 29–30 minutes."""
    client = login(Client(), cast.city)
    client.get(reverse("core:home"))
    _last_refresh_ago(client, 30)
    key = client.session.session_key
    before = Session.objects.get(session_key=key).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:home")).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert Session.objects.get(session_key=key).expire_date == before


def test_expired_session_redirects_to_login(cast: Any) -> None:
    client = login(Client(), cast.city)
    assert client.get(reverse("core:home")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


# --- second factor -----------------------------------------------------------------------------


def _token_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp()
    return f"{totp.token():0{device.digits}d}"


def test_staff_are_held_at_the_otp_step_until_verified(cast: Any) -> None:
    client = Client()
    response = _post_login(client, "city", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/accounts/otp/")
    for path in ["/", "/system/regions/"]:
        held = client.get(path)
        assert (held.status_code, held["Location"]) == (302, "/accounts/otp/")


def test_otp_setup_enrols_a_device_and_lets_staff_in(cast: Any) -> None:
    client = Client()
    _post_login(client, "city", PASSWORD)
    page = client.get("/accounts/otp/")
    assert page.context["setup"] is True
    device = TOTPDevice.objects.get(user=cast.city, confirmed=False)
    assert page.context["secret"] and page.context["secret"] in page.content.decode()
    response = client.post("/accounts/otp/", {"token": _token_for(device)})
    assert (response.status_code, response["Location"]) == (302, "/")
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="security.otp.enrolled", actor=cast.city).count() == 1


def test_wrong_otp_is_refused_and_logged(cast: Any) -> None:
    client = Client()
    _post_login(client, "city", PASSWORD)
    client.get("/accounts/otp/")
    device = TOTPDevice.objects.get(user=cast.city)
    right = _token_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/otp/", {"token": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["token"] == ["动态口令不正确或已过期，请输入认证器上最新的6位数字"]
    assert LoginEvent.objects.filter(user=cast.city, kind=LoginEvent.Kind.OTP_FAILED).count() == 1
    assert client.get("/").status_code == 302
    device.refresh_from_db()
    assert device.confirmed is False


def test_non_staff_need_no_second_factor(cast: Any) -> None:
    client = Client()
    response = _post_login(client, "worker_a", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/")


def test_reset_otp_makes_staff_enrol_again(cast: Any, client_for: Any) -> None:
    TOTPDevice.objects.create(user=cast.district_a, name="phone", confirmed=True)
    secadmin = client_for("secadmin")
    assert secadmin.post(reverse("system:otp_reset", args=[cast.district_a.pk])).status_code == 302
    assert TOTPDevice.objects.filter(user=cast.district_a).count() == 0
    client = Client()
    _post_login(client, "district_a", PASSWORD)
    assert client.get("/accounts/otp/").context["setup"] is True
    assert AuditEntry.objects.filter(action="security.otp.reset", object_id=str(cast.district_a.pk)).count() == 1


# --- sessions ----------------------------------------------------------------------------------


def test_login_issues_a_new_session_key(cast: Any) -> None:
    client = Client()
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    before = session.session_key
    assert before is not None and Session.objects.filter(session_key=before).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    assert _post_login(client, "worker_a", PASSWORD).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert Session.objects.filter(session_key=before).exists() is False
    assert UserSession.objects.get(user=cast.worker_a).session_key == after


def test_logout_deletes_the_server_side_session(cast: Any) -> None:
    client = Client()
    _post_login(client, "worker_a", PASSWORD)
    key = client.session.session_key
    assert client.post("/accounts/logout/").status_code == 302
    assert Session.objects.filter(session_key=key).exists() is False
    assert UserSession.objects.filter(session_key=key).exists() is False
    # Replaying the old cookie gets nowhere.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = str(key)
    assert replay.get("/").status_code == 302


def test_forced_logout_makes_the_next_request_anonymous(cast: Any, client_for: Any) -> None:
    victim = Client()
    _post_login(victim, "worker_a", PASSWORD)
    assert victim.get("/p/").status_code in {200, 302}
    live = UserSession.objects.get(user=cast.worker_a)
    secadmin = client_for("secadmin")
    online = secadmin.get(reverse("system:online"))
    assert [s.user.username for s in online.context["sessions"]] == ["worker_a"]
    assert secadmin.post(reverse("system:online_end", args=[live.pk])).status_code == 302
    response = victim.get("/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/")
    assert LoginEvent.objects.filter(user=cast.worker_a, kind=LoginEvent.Kind.TIMEOUT).count() == 1
    assert AuditEntry.objects.filter(action="security.session.ended", actor=cast.secadmin).count() == 1


# --- passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("alllowercase12", False),
        ("ALLUPPERCASE12", False),
        ("NoDigitsOrSymbols", False),
        ("Mixed-case-and-symbols", True),
        ("lower-case-2026", True),
        ("Upper2026Lower", True),
    ],
)
def test_character_class_validator(password: str, ok: bool) -> None:
    validator = CharacterClassValidator()
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError) as exc:
            validator.validate(password)
        assert exc.value.error_list[0].code == "password_classes"


@pytest.mark.parametrize("password", ["Ab1!", "password123", "1234567890", "qwertyuiop"])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_create_user_refuses_weak_password_with_reasons(db: None) -> None:
    with pytest.raises(DomainError) as exc:
        create_user(actor=None, username="weak", password="abcdefghij")
    assert exc.value.field == "password"
    assert "密码须包含大写字母、小写字母、数字、符号中的至少三类" in exc.value.message


# --- 三员分立 -----------------------------------------------------------------------------------


def test_nobody_grants_themselves_roles(cast: Any) -> None:
    with pytest.raises(DomainError) as exc:
        assign_role(actor=cast.sysadmin, user=cast.sysadmin, role=Role.CITY_STAFF)
    assert exc.value.message == "不能给自己授权"


@pytest.mark.parametrize(
    ("holder", "role"),
    [("sysadmin", Role.AUDITOR), ("sysadmin", Role.SECADMIN), ("auditor", Role.SYSADMIN), ("secadmin", Role.AUDITOR)],
)
def test_nobody_holds_two_separated_roles(cast: Any, holder: str, role: str) -> None:
    with pytest.raises(DomainError) as exc:
        assign_role(actor=cast.city, user=getattr(cast, holder), role=role)
    assert exc.value.message == "系统管理员、安全管理员、审计员三员分立，同一人不能兼任"


def test_district_staff_need_a_region(cast: Any) -> None:
    with pytest.raises(DomainError) as exc:
        assign_role(actor=cast.sysadmin, user=cast.requester, role=Role.DISTRICT_STAFF)
    assert exc.value.field == "region"


def test_nobody_revokes_their_own_role(cast: Any) -> None:
    with pytest.raises(DomainError):
        revoke_role(actor=cast.sysadmin, assignment=cast.sysadmin.role_assignments.get())


def test_system_admin_cannot_read_the_audit_log(cast: Any, client_for: Any) -> None:
    sysadmin = client_for("sysadmin")
    assert sysadmin.get(reverse("system:audit")).status_code == 403
    assert sysadmin.get(reverse("system:audit_export")).status_code == 403
    labels = [i["label"] for g in sysadmin.get(reverse("system:users")).context["nav_menu"] for i in g["items"]]
    assert "操作日志" not in [str(label) for label in labels]


def test_system_admin_cannot_grant_himself_through_the_page(cast: Any, client_for: Any) -> None:
    sysadmin = client_for("sysadmin")
    response = sysadmin.post(
        reverse("system:role_grant", args=[cast.sysadmin.pk]), {"role": Role.AUDITOR, "region": ""}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["不能给自己授权"]
    assert sorted(cast.sysadmin.role_assignments.values_list("role", flat=True)) == [Role.SYSADMIN]


def test_auditor_and_security_roles_are_granted_only_on_the_server(cast: Any) -> None:

    with pytest.raises(DomainError) as exc:
        assign_role(actor=cast.sysadmin, user=cast.requester, role=Role.AUDITOR)
    assert exc.value.message == "审计员、安全管理员只能在服务器上用 manage.py grant_role 授予（三员分立）"
    call_command("grant_role", "requester", Role.AUDITOR, stdout=__import__("io").StringIO())
    assert set(cast.requester.role_assignments.values_list("role", flat=True)) == {Role.REQUESTER, Role.AUDITOR}


GUARDED = "审计员、安全管理员的账号和角色只能由安全管理员变更（三员分立）"


def test_system_admin_cannot_disable_the_auditor_or_revoke_the_role(cast: Any, client_for: Any) -> None:
    sysadmin = client_for("sysadmin")
    response = sysadmin.post(reverse("system:user_toggle", args=[cast.auditor.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [GUARDED]
    assignment = cast.auditor.role_assignments.get()
    response = sysadmin.post(reverse("system:role_revoke", args=[assignment.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [GUARDED]
    with pytest.raises(DomainError) as exc:
        set_user_active(actor=cast.sysadmin, user=cast.secadmin, active=False)
    assert exc.value.message == GUARDED
    with pytest.raises(DomainError) as exc:
        assign_role(actor=cast.sysadmin, user=cast.auditor, role=Role.TEAM_LEADER)
    assert exc.value.message == GUARDED
    cast.auditor.refresh_from_db()
    assert cast.auditor.is_active is True
    assert list(cast.auditor.role_assignments.values_list("role", flat=True)) == [Role.AUDITOR]
    assert AuditEntry.objects.filter(action__in=["core.user.disabled", "core.role.revoked"]).count() == 0


def test_security_admin_disables_the_auditor_and_revokes_the_role(cast: Any, client_for: Any) -> None:
    secadmin = client_for("secadmin")
    page = secadmin.get(reverse("system:account_security"))
    assert [u.username for u in page.context["admins"]] == ["auditor", "secadmin"]
    response = secadmin.post(reverse("system:admin_toggle", args=[cast.auditor.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["操作成功：账号已停用"]
    cast.auditor.refresh_from_db()
    assert cast.auditor.is_active is False
    assignment = cast.auditor.role_assignments.get()
    secadmin.post(reverse("system:admin_role_revoke", args=[assignment.pk]))
    assert cast.auditor.role_assignments.count() == 0
    assert list(
        AuditEntry.objects.filter(actor=cast.secadmin, object_id=str(cast.auditor.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["core.user.disabled", "core.role.revoked"]


def test_security_admin_pages_reach_only_the_guarded_accounts(cast: Any, client_for: Any) -> None:
    secadmin = client_for("secadmin")
    assert secadmin.post(reverse("system:admin_toggle", args=[cast.requester.pk])).status_code == 404
    assignment = cast.requester.role_assignments.get()
    assert secadmin.post(reverse("system:admin_role_revoke", args=[assignment.pk])).status_code == 404


def test_nobody_changes_their_own_account(cast: Any, client_for: Any) -> None:
    secadmin = client_for("secadmin")
    response = secadmin.post(reverse("system:admin_toggle", args=[cast.secadmin.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["不能停用自己的账号"]
    own = cast.secadmin.role_assignments.get()
    response = secadmin.post(reverse("system:admin_role_revoke", args=[own.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["不能修改自己的角色"]
    cast.secadmin.refresh_from_db()
    assert (cast.secadmin.is_active, cast.secadmin.role_assignments.count()) == (True, 1)
