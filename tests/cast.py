"""The fixed cast every test uses, and helpers to sign them in (with the second factor passed).

It lives outside ``core`` because it builds people: core imports no domain app. The root
``conftest.py`` builds it once per test worker (``cast`` fixture); ``cast_keys`` / ``fetch_cast``
let it hand each test fresh Python objects for the same rows."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import notify
from core.models import Region, Role, User
from core.reference.loader import load_all_reference
from core.services import assign_role, create_user
from people.models import Person
from people.services import create_person

PASSWORD = "Laomo-Test-2026!"  # noqa: S105 - the test cast's fixed password

# Valid ID numbers (check digits computed) for the two model workers.
WORKER_A_ID = "330212196503120013"
WORKER_B_ID = "33020319701123002X"

CAST_NAMES = (
    "city",
    "district_a",
    "district_b",
    "team_leader",
    "worker_a",
    "worker_b",
    "requester",
    "auditor",
    "sysadmin",
    "secadmin",
    "anonymous",
)


@dataclass
class Cast:
    city: User
    district_a: User
    district_b: User
    team_leader: User
    worker_a: User
    worker_b: User
    requester: User
    auditor: User
    sysadmin: User
    secadmin: User
    region_a: Region  # 鄞州区
    region_b: Region  # 海曙区
    person_a: Any
    person_b: Any

    def user(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def cast_keys(cast: Cast) -> dict[str, int]:
    """The primary key of every member, region and person of ``cast``."""
    return {f.name: getattr(cast, f.name).pk for f in fields(cast)}


def fetch_cast(keys: dict[str, int]) -> Cast:
    """The cast whose rows ``keys`` name, as new Python objects (nothing cached on them, e.g. roles)."""
    users = User.objects.in_bulk([keys[n] for n in CAST_NAMES if n != "anonymous"])
    regions = Region.objects.in_bulk([keys["region_a"], keys["region_b"]])
    people = Person.objects.in_bulk([keys["person_a"], keys["person_b"]])
    values: dict[str, Any] = {n: users[keys[n]] for n in CAST_NAMES if n != "anonymous"}
    values |= {n: regions[keys[n]] for n in ("region_a", "region_b")}
    values |= {n: people[keys[n]] for n in ("person_a", "person_b")}
    return Cast(**values)


def make_user(username: str, role: str | None, region: Region | None = None) -> User:
    user = create_user(actor=None, username=username, password=PASSWORD, display_name=username)
    if role:
        assign_role(actor=None, user=user, role=role, region=region)
    return user


def build_cast() -> Cast:

    load_all_reference()
    region_a = Region.objects.get(code="330212")
    region_b = Region.objects.get(code="330203")
    worker_a = make_user("worker_a", Role.MODEL_WORKER)
    worker_b = make_user("worker_b", Role.MODEL_WORKER)
    person_a = create_person(
        actor=None,
        region=region_a,
        name="万亚勇",
        id_number=WORKER_A_ID,
        mobile="13805740001",
        employer="宁波精华电子科技股份有限公司",
        status="working",
    )
    person_b = create_person(
        actor=None,
        region=region_b,
        name="单秀英",
        id_number=WORKER_B_ID,
        mobile="13905740002",
        employer="宁波港集团",
        status="retired",
    )
    Person.objects.filter(pk=person_a.pk).update(user=worker_a)
    Person.objects.filter(pk=person_b.pk).update(user=worker_b)
    person_a.refresh_from_db()
    person_b.refresh_from_db()
    return Cast(
        city=make_user("city", Role.CITY_STAFF),
        district_a=make_user("district_a", Role.DISTRICT_STAFF, region_a),
        district_b=make_user("district_b", Role.DISTRICT_STAFF, region_b),
        team_leader=make_user("team_leader", Role.TEAM_LEADER),
        worker_a=worker_a,
        worker_b=worker_b,
        requester=make_user("requester", Role.REQUESTER),
        auditor=make_user("auditor", Role.AUDITOR),
        sysadmin=make_user("sysadmin", Role.SYSADMIN),
        secadmin=make_user("secadmin", Role.SECADMIN),
        region_a=region_a,
        region_b=region_b,
        person_a=person_a,
        person_b=person_b,
    )


def login(client: Client, user: User | None) -> Client:
    """Sign in as ``user`` with the second factor already passed (None: stay anonymous)."""
    if user is None:
        return client
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def current_token(device: TOTPDevice) -> str:
    """The code the staff member's authenticator shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    return f"{totp.token():0{device.digits}d}"


def staff_sign_in(page: Any, username: str, device: TOTPDevice, *, lands_on: str) -> None:
    """In a real browser (a Playwright page already on the login page): password, then the
    second factor, then wait for ``lands_on`` (a URL glob)."""
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/otp/**")
    page.fill("#id_token", current_token(device))
    page.click("button[type=submit]")
    page.wait_for_url(lands_on)


def let_test_flush_clear_the_audit_log() -> None:
    """Tests that run outside a transaction (live server, threads) are cleaned up by ``flush``,
    which the audit log's triggers refuse (SQLite: DELETE; PostgreSQL: TRUNCATE). Around the test
    flush only, the triggers are dropped and created again, as a database owner could do; the
    application itself has no such way."""
    guard = importlib.import_module("core.migrations.0005_audit_log_guarded_purge")
    operations = type(connection.ops)
    original = operations.sql_flush
    if getattr(original, "_laomo_audit", False):
        return

    def sql_flush(self: Any, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        sql = original(self, style, tables, **kwargs)
        if "core_auditentry" not in tables:
            return sql
        if self.connection.vendor == "sqlite":
            return [*guard.SQLITE_DROP, *sql, *guard.SQLITE_CREATE]
        if self.connection.vendor == "postgresql":
            create = guard.PG_CREATE[guard.PG_CREATE.index("DROP TRIGGER IF EXISTS laomo_audit_no_truncate") :]
            return ["DROP TRIGGER IF EXISTS laomo_audit_no_truncate ON core_auditentry", *sql, create]
        return sql

    sql_flush._laomo_audit = True  # type: ignore[attr-defined]
    operations.sql_flush = sql_flush  # type: ignore[method-assign]


@contextmanager
def staff_page(browser: Any, live_server: Any, user: User, **context_options: Any) -> Iterator[Any]:
    """In a real browser (Playwright), a desktop page signed in as the staff member ``user``
    (password, then a new authenticator's code), on the home page; closed afterwards."""
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    options = {"locale": "zh-CN", "viewport": {"width": 1366, "height": 900}} | context_options
    context = browser.new_context(**options)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        staff_sign_in(page, user.username, device, lands_on=live_server.url + "/")
        yield page
    finally:
        context.close()


def phone_context(browser: Any, live_server: Any, *, large_font: bool = True) -> Any:
    """In a real browser (Playwright), a 390 px phone context, in 长辈版 (large type) unless told
    otherwise; the caller closes it."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    if large_font:
        host = urlsplit(live_server.url).hostname
        context.add_cookies([{"name": "large_font", "value": "1", "domain": host, "path": "/"}])
    return context


def last_sms_code() -> str:
    """The code of the newest text message holding one (``core.notify.MemorySmsBackend``)."""
    text = next(text for _mobile, text in reversed(notify.MemorySmsBackend.outbox) if "验证码是" in text)
    return text.split("验证码是")[1][:6]


def phone_sign_in(page: Any, live_server: Any, mobile: str) -> None:
    """A model worker signs in on the phone page with ``mobile`` and the code texted to it, and
    lands on the phone home (/p/)."""
    page.goto(live_server.url + reverse("portal:login"))
    page.get_by_label("手机号").fill(mobile)
    page.get_by_role("button", name="获取短信验证码").click()
    page.wait_for_url("**/p/login/code/")
    page.get_by_label("短信验证码").fill(last_sms_code())
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/p/")
