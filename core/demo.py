"""Demo accounts: one per role, district staff for two districts. Passwords and second-factor
keys are fixed so ``make run`` can print them; never load the demo into production."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import extensions as core_points
from core.models import Region, Role, User
from core.permissions import STAFF_ROLES
from core.services import assign_role, create_user

DEMO_PASSWORD = "Laomo@2026demo"  # noqa: S105 - printed for the demo on purpose

# username, display name, role, region code
DEMO_ACCOUNTS = [
    ("city", "协会工作人员（演示）", Role.CITY_STAFF, None),
    ("city2", "协会财务负责人（演示）", Role.CITY_STAFF, None),  # the second pair of eyes for approvals
    ("yinzhou", "鄞州区总工会（演示）", Role.DISTRICT_STAFF, "330212"),
    ("haishu", "海曙区总工会（演示）", Role.DISTRICT_STAFF, "330203"),
    ("leader", "服务队队长（演示）", Role.TEAM_LEADER, None),
    ("worker", "劳模（演示）", Role.MODEL_WORKER, None),
    ("requester", "需求企业（演示）", Role.REQUESTER, None),
    ("auditor", "审计员（演示）", Role.AUDITOR, None),
    ("sysadmin", "系统管理员（演示）", Role.SYSADMIN, None),
    ("secadmin", "安全管理员（演示）", Role.SECADMIN, None),
]


def demo_totp_key(username: str) -> str:
    """A fixed 20-byte key per demo account (hex, as django-otp stores it)."""
    return hashlib.sha1(f"laomo-demo-{username}".encode()).hexdigest()  # noqa: S324 - a demo key, not a hash of secrets


def totp_secret_base32(hex_key: str) -> str:
    return base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")


@core_points.demo_data
@transaction.atomic
def build(*, size: int, seed: int, stdout: Any) -> None:
    for username, display, role, code in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user = create_user(actor=None, username=username, password=DEMO_PASSWORD, display_name=display)
        region = Region.objects.get(code=code) if code else None
        assign_role(actor=None, user=user, role=role, region=region)
        if role in STAFF_ROLES:
            TOTPDevice.objects.create(user=user, name="demo", key=demo_totp_key(username), confirmed=True)
