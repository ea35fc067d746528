from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import phonecodes
from core.errors import DomainError
from core.models import Notification, PhoneCode

pytestmark = pytest.mark.django_db


def _code(sms: list[tuple[str, str]]) -> str:
    return sms[-1][1].split("验证码是")[1][:6]


def _age(minutes: int) -> None:
    """Pretend every code was sent ``minutes`` ago."""
    shift = dt.timedelta(minutes=minutes)
    for c in PhoneCode.objects.all():
        PhoneCode.objects.filter(pk=c.pk).update(created=c.created - shift, expires_at=c.expires_at - shift)


def test_code_is_sent_hashed_and_verifies_once(cast: Any, sms: list, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        record = phonecodes.send_phone_code(mobile="+86 138-0574-1111", purpose="request", ip="10.0.0.1")
    code = _code(sms)
    assert sms[0][0] == "13805741111"
    assert code not in record.code_hash and len(record.code_hash) == 64
    # Nowhere kept in clear: the delivery log has it masked.
    assert list(Notification.objects.values_list("body", "status")) == [
        ("【劳模工匠服务】您的验证码是******，10分钟内有效，请勿告诉他人。", "sent")
    ]
    assert phonecodes.verify_phone_code(mobile="13805741111", purpose="request", code=code) == "13805741111"
    with pytest.raises(DomainError, match="请先获取验证码"):
        phonecodes.verify_phone_code(mobile="13805741111", purpose="request", code=code)


def test_code_expires(cast: Any, sms: list, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        phonecodes.send_phone_code(mobile="13805741111", purpose="request")
    _age(11)
    with pytest.raises(DomainError) as exc:
        phonecodes.verify_phone_code(mobile="13805741111", purpose="request", code=_code(sms))
    assert exc.value.message == "验证码已过期，请重新获取"


def test_wrong_codes_are_limited(cast: Any, sms: list, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        phonecodes.send_phone_code(mobile="13805741111", purpose="request")
    good = _code(sms)
    wrong = "000000" if good != "000000" else "111111"
    messages = []
    for _ in range(5):
        with pytest.raises(DomainError) as exc:
            phonecodes.verify_phone_code(mobile="13805741111", purpose="request", code=wrong)
        messages.append(exc.value.message)
    assert messages == [
        "验证码不正确，还可尝试4次",
        "验证码不正确，还可尝试3次",
        "验证码不正确，还可尝试2次",
        "验证码不正确，还可尝试1次",
        "验证码错误次数过多，请重新获取",
    ]
    with pytest.raises(DomainError, match="错误次数过多"):
        phonecodes.verify_phone_code(mobile="13805741111", purpose="request", code=good)


def test_sending_is_rate_limited(cast: Any, sms: list) -> None:
    phonecodes.send_phone_code(mobile="13805741111", purpose="request")
    with pytest.raises(DomainError) as exc:
        phonecodes.send_phone_code(mobile="13805741111", purpose="request")
    assert exc.value.message.startswith("验证码已发送，请") and exc.value.message.endswith("秒后再试")
    for _ in range(4):
        _age(2)
        phonecodes.send_phone_code(mobile="13805741111", purpose="request")
    _age(2)
    with pytest.raises(DomainError) as exc:
        phonecodes.send_phone_code(mobile="13805741111", purpose="request")
    assert exc.value.message == "该手机号获取验证码过于频繁，请一小时后再试"
    _age(60)
    assert phonecodes.send_phone_code(mobile="13805741111", purpose="request").mobile == "13805741111"


def test_per_address_limit(cast: Any, sms: list) -> None:
    for i in range(20):
        phonecodes.send_phone_code(mobile=f"1380574{i:04d}", purpose="request", ip="10.0.0.9")
    with pytest.raises(DomainError, match="获取验证码过于频繁"):
        phonecodes.send_phone_code(mobile="13905749999", purpose="request", ip="10.0.0.9")


def test_bad_mobile_refused(cast: Any) -> None:
    with pytest.raises(DomainError) as exc:
        phonecodes.send_phone_code(mobile="12345", purpose="request")
    assert exc.value.field == "mobile"
    assert timezone.now()


def test_codes_already_stored_in_clear_are_masked_by_the_migration(cast: Any) -> None:

    migration = importlib.import_module("assistance.migrations.0003_mask_sent_codes")
    clear = Notification.objects.create(
        channel="sms", address="13805741111", template_code="assistance.otp", body="您的验证码是204816，10分钟内有效"
    )
    other = Notification.objects.create(channel="sms", address="13805741111", body="申请编号 202612")
    migration.forwards(apps, None)
    clear.refresh_from_db()
    other.refresh_from_db()
    assert (clear.body, other.body) == ("您的验证码是******，10分钟内有效", "申请编号 202612")


def test_a_forged_forwarded_for_does_not_escape_the_address_limit(cast: Any, sms: list, settings: Any) -> None:
    """Through the page: a client writing a new X-Forwarded-For each time is still counted by its
    own address, since it is no trusted proxy."""
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for i in range(phonecodes.CODE_MAX_PER_IP_HOUR + 1):
        client = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        client.post(reverse("assistance:apply"), {"mobile": f"1380574{i:04d}"})
    assert PhoneCode.objects.filter(ip="203.0.113.7").count() == phonecodes.CODE_MAX_PER_IP_HOUR
    assert PhoneCode.objects.exclude(ip="203.0.113.7").count() == 0
    behind_proxy = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.50")
    behind_proxy.post(reverse("assistance:apply"), {"mobile": "13905749999"})
    assert list(PhoneCode.objects.filter(mobile="13905749999").values_list("ip", flat=True)) == ["198.51.100.50"]
