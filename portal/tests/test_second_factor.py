"""Staff accounts pass the second factor before any page, the phone pages included."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core import notify

pytestmark = pytest.mark.django_db


def _password_only(user: Any) -> Client:
    client = Client()
    client.force_login(user)  # password passed, no second factor
    return client


@pytest.mark.parametrize("name", ["city", "district_a", "auditor", "sysadmin", "secadmin"])
def test_staff_without_second_factor_are_held_on_phone_pages(cast: Any, name: str) -> None:
    user = getattr(cast, name)
    note = notify.send(channel="inapp", recipient=user, body="测试消息")
    client = _password_only(user)
    for path in [reverse("portal:home"), reverse("portal:messages"), reverse("portal:message", args=[note.pk])]:
        response = client.get(path)
        assert (path, response.status_code, response["Location"]) == (path, 302, "/accounts/otp/")
    changed = client.post(reverse("portal:messages_read_all"))
    assert (changed.status_code, changed["Location"]) == (302, "/accounts/otp/")
    note.refresh_from_db()
    assert note.status == "sent"


def test_model_workers_need_no_second_factor(cast: Any) -> None:
    client = _password_only(cast.worker_a)
    assert client.get(reverse("portal:home")).status_code == 200
