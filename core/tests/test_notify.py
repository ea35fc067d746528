from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from core import notify
from core.errors import DomainError
from core.models import Notification, NotificationTemplate


@pytest.fixture
def sms(settings: Any) -> list[tuple[str, str]]:
    settings.SMS_BACKEND = "core.notify.MemorySmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notify.MemorySmsBackend.outbox = []
    return notify.MemorySmsBackend.outbox


@pytest.mark.django_db
def test_sms_from_template_is_logged_and_sent_after_commit(sms: list, django_capture_on_commit_callbacks: Any) -> None:
    NotificationTemplate.objects.create(code="t.hello", name="问候", body="{{ name }}您好，验证码{{code}}")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        note = notify.send(
            channel="sms", address="13805740001", template_code="t.hello", context={"name": "万亚勇", "code": "123456"}
        )
        assert note.status == Notification.Status.PENDING
        assert sms == []
    for callback in callbacks:
        callback()
    note.refresh_from_db()
    assert sms == [("13805740001", "万亚勇您好，验证码123456")]
    assert (note.status, note.body, note.template_code) == ("sent", "万亚勇您好，验证码123456", "t.hello")
    assert note.sent_at is not None


@pytest.mark.django_db
def test_email_and_inapp(sms: list, cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    cast.city.email = "city@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        e = notify.send(
            channel="email",
            recipient=cast.city,
            subject="标题{{ x }}",
            body="内容{{ x }}",
            context={"x": 1},
            link="/a/",
        )
        i = notify.send(channel="inapp", recipient=cast.worker_a, body="站内", related=cast.person_a)
    e.refresh_from_db()
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [("标题1", "内容1\n\n/a/", ["city@example.org"])]
    assert e.status == "sent"
    assert (i.status, i.related_type, i.related_id) == ("sent", "people.person", str(cast.person_a.pk))
    notify.mark_read(user=cast.worker_a, notification=i)
    i.refresh_from_db()
    assert i.status == "read"


@pytest.mark.django_db
def test_gateway_failure_is_recorded(settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.SMS_BACKEND = "core.tests.test_notify.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        note = notify.send(channel="sms", address="13805740001", body="x")
    note.refresh_from_db()
    assert (note.status, note.error) == ("failed", "网关不可用")


class BrokenBackend:
    def send(self, mobile: str, text: str, *, log_text: str = "") -> str:
        raise RuntimeError("网关不可用")


@pytest.mark.django_db
def test_refusals() -> None:
    with pytest.raises(DomainError, match="没有可用的手机号"):
        notify.send(channel="sms", body="x")
    with pytest.raises(DomainError, match="不存在"):
        notify.send(channel="sms", address="13805740001", template_code="nope")
    with pytest.raises(DomainError, match="站内消息需要接收人"):
        notify.send(channel="inapp", body="x")


def test_placeholders_insert_values_only() -> None:
    assert notify.render_text("{{ a }}-{% if 1 %}x{% endif %}-{{b}}", {"a": "甲"}) == "甲-{% if 1 %}x{% endif %}-"


def test_console_backend_writes_file(settings: Any, tmp_path: Any) -> None:
    settings.SMS_LOG_FILE = tmp_path / "sms.log"
    notify.ConsoleSmsBackend().send("13805740001", "你好")
    assert (tmp_path / "sms.log").read_text(encoding="utf-8").split("\t")[1:] == ["13805740001", "你好\n"]


@pytest.mark.django_db
def test_a_code_is_delivered_but_stored_and_logged_masked(
    settings: Any, tmp_path: Any, sms: list, django_capture_on_commit_callbacks: Any
) -> None:
    NotificationTemplate.objects.create(code="t.otp", name="验证码", body="验证码{{ code }}，{{ minutes }}分钟内有效")
    with django_capture_on_commit_callbacks(execute=True):
        note = notify.send(
            channel="sms",
            address="13805740001",
            template_code="t.otp",
            context={"minutes": 10},
            secret_context={"code": "482913"},
        )
    assert sms == [("13805740001", "验证码482913，10分钟内有效")]
    note.refresh_from_db()
    assert (note.status, note.body) == ("sent", "验证码******，10分钟内有效")
    # The development gateway logs what is stored, never the code.
    settings.SMS_BACKEND = "core.notify.ConsoleSmsBackend"
    settings.SMS_LOG_FILE = tmp_path / "sms.log"
    with django_capture_on_commit_callbacks(execute=True):
        notify.send(channel="sms", address="13805740001", template_code="t.otp", secret_context={"code": "553190"})
    assert (tmp_path / "sms.log").read_text(encoding="utf-8").split("\t")[1:] == [
        "13805740001",
        "验证码******，分钟内有效\n",
    ]
    assert "553190" not in str(list(Notification.objects.values_list("body", flat=True)))
