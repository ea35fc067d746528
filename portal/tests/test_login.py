"""劳模工匠手机登录: the mobile number the registry holds and a text-message code, no password."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core import notify
from core.models import AuditEntry, LoginEvent, PhoneCode, Role, User
from people.models import Person
from people.services import create_person, ensure_account
from tests.cast import build_cast
from tests.concurrency import race

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(settings: Any) -> list[tuple[str, str]]:
    settings.SMS_BACKEND = "core.notify.MemorySmsBackend"
    notify.MemorySmsBackend.outbox = []
    return notify.MemorySmsBackend.outbox


def _code(sms: list[tuple[str, str]]) -> str:
    return sms[-1][1].split("验证码是")[1][:6]


def _ask(client: Client, mobile: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(reverse("portal:login"), {"mobile": mobile})


def test_first_sign_in_makes_and_links_the_account(
    cast: Any, sms: list, django_capture_on_commit_callbacks: Any
) -> None:
    person = create_person(
        actor=None, region=cast.region_a, name="林师傅", mobile="13805748888", status="working", gender="M"
    )
    client = Client()
    asked = _ask(client, "138 0574 8888", django_capture_on_commit_callbacks)
    assert (asked.status_code, asked["Location"]) == (302, reverse("portal:login_code"))
    assert [m for m, _ in sms] == ["13805748888"]
    code = _code(sms)
    assert PhoneCode.objects.get(mobile="13805748888").code_hash != code  # never stored in clear

    signed_in = client.post(reverse("portal:login_code"), {"code": code})
    assert (signed_in.status_code, signed_in["Location"]) == (302, reverse("portal:home"))
    person.refresh_from_db()
    account = person.user
    assert account is not None
    assert (account.has_usable_password(), account.mobile, account.display_name) == (False, "13805748888", "林师傅")
    assert list(account.role_assignments.values_list("role", flat=True)) == [Role.MODEL_WORKER]
    assert AuditEntry.objects.filter(action="people.person.account_created", object_id=str(person.pk)).count() == 1
    assert LoginEvent.objects.filter(user=account, kind=LoginEvent.Kind.LOGIN).count() == 1
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200 and home.context["person"] == person


def test_an_existing_account_signs_in_without_a_password(
    cast: Any, sms: list, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    _ask(client, cast.person_a.mobile, django_capture_on_commit_callbacks)
    client.post(reverse("portal:login_code"), {"code": _code(sms)})
    assert client.get(reverse("portal:home")).context["user"] == cast.worker_a
    assert Person.objects.get(pk=cast.person_a.pk).user == cast.worker_a  # no second account


@pytest.mark.parametrize(
    ("wanted", "lands"),
    [
        ("/volunteering/p/callouts/", "/volunteering/p/callouts/"),  # the page a text message opened
        ("https://evil.example/p/", "/p/"),  # another site: never followed
        ("//evil.example/p/", "/p/"),
    ],
)
def test_the_phone_comes_back_to_the_page_it_was_opened_at(
    cast: Any, sms: list, django_capture_on_commit_callbacks: Any, wanted: str, lands: str
) -> None:
    client = Client()
    client.get(reverse("portal:login"), {"next": wanted})
    _ask(client, cast.person_a.mobile, django_capture_on_commit_callbacks)
    signed_in = client.post(reverse("portal:login_code"), {"code": _code(sms)})
    assert (signed_in.status_code, signed_in["Location"]) == (302, lands)
    again = client.get(reverse("portal:login"), {"next": wanted})  # already signed in
    assert again["Location"] == lands


def test_a_call_out_link_opened_signed_out_asks_for_the_phone_sign_in_and_keeps_the_page(cast: Any) -> None:
    response = Client().get("/volunteering/p/callouts/")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:login") + "?next=%2Fvolunteering%2Fp%2Fcallouts%2F"


def test_a_wrong_code_does_not_sign_in(cast: Any, sms: list, django_capture_on_commit_callbacks: Any) -> None:
    client = Client()
    _ask(client, cast.person_a.mobile, django_capture_on_commit_callbacks)
    wrong = "000000" if _code(sms) != "000000" else "111111"
    page = client.post(reverse("portal:login_code"), {"code": wrong})
    assert page.status_code == 200
    assert page.context["form"].errors == {"code": ["验证码不正确，还可尝试4次"]}
    assert not page.context["user"].is_authenticated


def test_a_number_not_in_the_registry_gets_no_code_and_the_same_page(
    cast: Any, sms: list, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    asked = _ask(client, "13905740999", django_capture_on_commit_callbacks)
    assert (asked.status_code, asked["Location"]) == (302, reverse("portal:login_code"))
    assert sms == []
    page = client.post(reverse("portal:login_code"), {"code": "123456"})
    assert page.context["form"].errors == {"code": ["验证码不正确或已过期，请重新获取"]}
    assert User.objects.filter(username__startswith="person").count() == 0


def test_staff_accounts_cannot_sign_in_by_text_message(
    cast: Any, sms: list, django_capture_on_commit_callbacks: Any
) -> None:
    Person.objects.filter(pk=cast.person_b.pk).update(user=cast.district_b)
    client = Client()
    _ask(client, cast.person_b.mobile, django_capture_on_commit_callbacks)
    assert sms == []
    client.post(reverse("portal:login_code"), {"code": "123456"})
    assert "_auth_user_id" not in client.session


def test_codes_are_limited_per_number(cast: Any, sms: list, django_capture_on_commit_callbacks: Any) -> None:
    client = Client()
    _ask(client, cast.person_a.mobile, django_capture_on_commit_callbacks)
    again = _ask(Client(), cast.person_a.mobile, django_capture_on_commit_callbacks)
    assert again.status_code == 200
    assert again.context["form"].errors["mobile"][0].startswith("验证码已发送，请")
    assert len(sms) == 1


def test_login_pages_link_the_phone_sign_in(cast: Any) -> None:
    staff_login = Client().get(reverse("core:login")).content.decode()
    assert f'href="{reverse("portal:login")}"' in staff_login and "劳模工匠手机登录" in staff_login
    assert Client().get(reverse("portal:home"))["Location"] == reverse("portal:login")


def test_form_messages_are_plain_chinese(cast: Any, sms: list, django_capture_on_commit_callbacks: Any) -> None:
    client = Client()
    empty = client.post(reverse("portal:login"), {"mobile": ""})
    assert empty.context["form"].errors == {"mobile": ["请输入手机号"]}
    _ask(client, cast.person_a.mobile, django_capture_on_commit_callbacks)
    short = client.post(reverse("portal:login_code"), {"code": "123"})
    assert short.context["form"].errors == {"code": ["验证码是6位数字，请核对短信"]}
    html = short.content.decode()
    assert 'href="#id_code"' in html and "请修改以下内容后再提交" in html


@pytest.mark.postgres
def test_two_first_sign_ins_at_once_make_one_account(transactional_db: None) -> None:
    cast = build_cast()
    person = create_person(
        actor=None, region=cast.region_a, name="林师傅", mobile="13805748888", status="working", gender="M"
    )
    results = race(2, lambda i: ensure_account(person=person).pk)
    person.refresh_from_db()
    assert results == [person.user_id, person.user_id]
    assert User.objects.filter(username=f"person{person.pk}").count() == 1
