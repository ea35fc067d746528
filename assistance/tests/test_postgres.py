"""The text-message limits under real concurrency (PostgreSQL, one connection per thread)."""

from __future__ import annotations

from typing import Any

import pytest

from core import phonecodes
from core.errors import DomainError
from core.models import Notification, PhoneCode
from tests.cast import build_cast
from tests.concurrency import race

pytestmark = pytest.mark.postgres


@pytest.fixture
def tcast(transactional_db: None, sms: list) -> Any:
    return build_cast()


def test_ten_requests_at_once_for_one_number_send_one_code(tcast: Any, sms: list) -> None:
    results = race(10, lambda i: phonecodes.send_phone_code(mobile="13805741111", purpose="request", ip=f"10.0.0.{i}"))
    sent = [r for r in results if isinstance(r, PhoneCode)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert (len(sent), len(refused)) == (1, 9)
    assert all(r.message.startswith("验证码已发送，请") for r in refused)
    assert PhoneCode.objects.filter(mobile="13805741111").count() == 1
    assert [m for m, _text in sms] == ["13805741111"]
    assert Notification.objects.filter(address="13805741111").count() == 1


def test_requests_at_once_from_one_address_stop_at_its_limit(tcast: Any, sms: list) -> None:
    n = phonecodes.CODE_MAX_PER_IP_HOUR + 6
    results = race(n, lambda i: phonecodes.send_phone_code(mobile=f"1380574{i:04d}", purpose="request", ip="10.0.0.9"))
    refused = [r for r in results if isinstance(r, DomainError)]
    assert (PhoneCode.objects.filter(ip="10.0.0.9").count(), len(refused)) == (phonecodes.CODE_MAX_PER_IP_HOUR, 6)
    assert {r.message for r in refused} == {"获取验证码过于频繁，请稍后再试"}
