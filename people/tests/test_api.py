"""The registry API over the real HTTP stack (Django's test client): authentication, scope,
masking, validation answers, and every write through the services."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.crypto import get_random_string

from core.idnumber import check_char
from core.models import ApiToken, AuditEntry, Region
from core.services import issue_api_token, revoke_api_token
from people.models import HonourTitle, Person, Trade
from people.reference import HONOUR_TITLES, TRADES
from people.services import add_honour, create_person
from tests.cast import WORKER_A_ID, WORKER_B_ID, Cast

pytestmark = pytest.mark.django_db


def make_id(area: str, birth: str, seq: int) -> str:
    first17 = f"{area}{birth}{seq:03d}"
    return first17 + check_char(first17)


def token_client(cast: Cast, name: str) -> Client:
    user = cast.user(name)
    assert user is not None
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(actor=None, user=user, name='test')}")


def body(response: Any) -> Any:
    return json.loads(response.content)


def assert_no_long_digits(text: str) -> None:
    """No 8 digits in a row: a full or partial ID, bank or mobile number would show up here."""
    assert re.findall(r"\d{8,}", text) == []


# --- authentication -----------------------------------------------------------------------


def test_token_auth_lists_only_the_district(cast: Cast) -> None:
    response = token_client(cast, "district_a").get(reverse("api:people"))
    assert response.status_code == 200
    data = body(response)
    assert data["count"] == 1
    assert [p["name"] for p in data["items"]] == ["万亚勇"]


def test_revoked_token_is_refused(cast: Cast) -> None:
    raw = issue_api_token(actor=None, user=cast.city, name="script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(reverse("api:people")).status_code == 200
    revoke_api_token(actor=cast.city, token=ApiToken.objects.get(user=cast.city))
    response = client.get(reverse("api:people"))
    assert response.status_code == 401
    assert body(response) == {"detail": "Unauthorized"}


def test_wrong_token_and_anonymous_get_401(cast: Cast) -> None:
    assert Client(HTTP_AUTHORIZATION="Bearer lm_nonsense").get(reverse("api:people")).status_code == 401
    assert Client().get(reverse("api:person", kwargs={"person_id": cast.person_a.pk})).status_code == 401


def test_token_of_a_disabled_account_is_refused(cast: Cast) -> None:
    client = token_client(cast, "district_a")
    cast.district_a.is_active = False
    cast.district_a.save()
    assert client.get(reverse("api:people")).status_code == 401


def test_session_write_without_csrf_is_refused(cast: Cast, client_for: Any) -> None:
    client = client_for("city")
    client.handler.enforce_csrf_checks = True
    url = reverse("api:person", kwargs={"person_id": cast.person_a.pk})
    assert client.get(url).status_code == 200  # reads need no token
    response = client.patch(url, {"notes": "无令牌"}, content_type="application/json")
    assert response.status_code == 403
    assert body(response) == {"detail": "CSRF check Failed"}
    secret = get_random_string(32)
    client.cookies["csrftoken"] = secret
    response = client.patch(url, {"notes": "有令牌"}, content_type="application/json", HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 200
    assert Person.objects.get(pk=cast.person_a.pk).notes == "有令牌"


def test_staff_session_without_second_factor_is_401(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.city)
    assert client.get(reverse("api:people")).status_code == 401


# --- scope and permission -----------------------------------------------------------------


def test_outside_scope_is_404_for_reads_and_writes(cast: Cast) -> None:
    client = token_client(cast, "district_b")
    url = reverse("api:person", kwargs={"person_id": cast.person_a.pk})
    assert client.get(url).status_code == 404
    assert client.patch(url, {"name": "改名"}, content_type="application/json").status_code == 404
    assert client.get(reverse("api:person_honours", kwargs={"person_id": cast.person_a.pk})).status_code == 404
    assert Person.objects.get(pk=cast.person_a.pk).name == "万亚勇"
    assert [p["name"] for p in body(client.get(reverse("api:people")))["items"]] == ["单秀英"]


def test_without_permission_is_403(cast: Cast) -> None:
    client = token_client(cast, "worker_a")  # sees their own record in the portal, not the registry API
    response = client.get(reverse("api:person", kwargs={"person_id": cast.person_a.pk}))
    assert response.status_code == 403
    assert body(response) == {"detail": "没有权限执行此操作"}


def test_district_staff_cannot_create_outside_their_district(cast: Cast) -> None:
    client = token_client(cast, "district_a")
    response = client.post(
        reverse("api:people"),
        {"name": "王海", "region": cast.region_b.pk, "gender": "M"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert body(response) == {"detail": "所选区域不存在或不在您的管辖范围内", "field": "region"}
    assert not Person.objects.filter(name="王海").exists()


# --- masking ------------------------------------------------------------------------------


def test_no_full_numbers_in_any_answer(cast: Cast) -> None:
    client = token_client(cast, "city")
    Person.objects.filter(pk=cast.person_a.pk).update(landline="")
    created = client.post(
        reverse("api:people"),
        {
            "name": "曾国平",
            "region": cast.region_a.pk,
            "id_number": make_id("330212", "19620708", 31),
            "mobile": "+86 138-0574-1234",
            "bank_name": "宁波银行",
            "bank_account": "6222 0012 3456 7890 123",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = body(created)["id"]
    urls = [
        reverse("api:people"),
        reverse("api:people") + "?q=330212196503120013",
        reverse("api:person", kwargs={"person_id": pk}),
        reverse("api:person", kwargs={"person_id": cast.person_a.pk}),
        reverse("api:person", kwargs={"person_id": cast.person_b.pk}),
    ]
    for url in urls:
        text = client.get(url).content.decode()
        assert_no_long_digits(text)
        for number in (WORKER_A_ID, WORKER_B_ID, "6222001234567890123", "13805741234", "13805740001"):
            assert number not in text
    detail = body(client.get(urls[2]))
    assert detail["id_number_masked"] == "3302**********" + make_id("330212", "19620708", 31)[-4:]
    assert detail["bank_account_masked"] == "6222 **** **** 0123"
    assert detail["mobile_masked"] == "138****1234"
    assert "id_number" not in detail and "bank_account" not in detail and "mobile" not in detail
    # The full ID finds the record (through the keyed hash) without ever being shown.
    found = body(client.get(urls[1]))
    assert [p["id_number_masked"] for p in found["items"]] == ["3302**********0013"]


# --- people: create, read, update ----------------------------------------------------------


def test_create_person_derives_and_logs(cast: Cast) -> None:
    street = Region.objects.get(name="中河街道")
    number = make_id("330212", "19780215", 42)  # even sequence: a woman
    response = token_client(cast, "district_a").post(
        reverse("api:people"),
        {"name": "单 丽 华", "region": street.pk, "id_number": number, "employer": "宁波舟山港股份有限公司"},
        content_type="application/json",
    )
    assert response.status_code == 201
    data = body(response)
    assert (data["name"], data["gender"], data["birth_date"]) == ("单丽华", "F", "1978-02-15")
    assert data["district"] == {"id": cast.region_a.pk, "code": "330212", "name": "鄞州区"}
    assert data["region"]["name"] == "中河街道"
    assert (data["status"], data["top_level"], data["honours"]) == ("working", None, [])
    person = Person.objects.get(pk=data["id"])
    assert (person.name_pinyin, person.name_initials) == ("shanlihua", "slh")
    entry = AuditEntry.objects.get(action="people.person.created", object_id=str(person.pk))
    assert entry.actor == cast.district_a
    assert number not in json.dumps(entry.changes, ensure_ascii=False)


@pytest.mark.parametrize(
    ("payload", "detail", "field"),
    [
        (
            {"id_number": "330212196503120014"},
            "身份证号校验位不对，号码有误。请逐位核对号码；常见原因是抄错了一位数字",
            "id_number",
        ),
        ({"id_number": WORKER_B_ID}, "该身份证号已登记在“单秀英”名下，不能重复登记", "id_number"),
        ({"gender": "M", "mobile": "0574-123"}, "“0574-123”不是有效的手机号。手机号是以1开头的11位数字", "mobile"),
        ({}, "请填写性别，或填写身份证号以自动识别", "gender"),
        ({"gender": "F", "bank_account": "62220012"}, "银行账号长度应在12到30位之间", "bank_account"),
    ],
)
def test_create_refusals_are_readable(cast: Cast, payload: dict[str, Any], detail: str, field: str) -> None:
    response = token_client(cast, "city").post(
        reverse("api:people"), {"name": "王强", "region": cast.region_a.pk, **payload}, content_type="application/json"
    )
    assert response.status_code == 422
    assert body(response) == {"detail": detail, "field": field}
    assert not Person.objects.filter(name="王强").exists()


def test_malformed_body_names_the_field_without_echoing_it(cast: Cast) -> None:
    response = token_client(cast, "city").post(
        reverse("api:people"),
        {"name": "王强", "region": "鄞州", "birth_date": "1965-13-40"},
        content_type="application/json",
    )
    assert response.status_code == 422
    errors = body(response)["detail"]
    assert sorted(tuple(e["loc"]) for e in errors) == [("body", "payload", "birth_date"), ("body", "payload", "region")]
    assert "1965-13-40" not in response.content.decode()


def test_patch_changes_only_what_is_sent(cast: Cast) -> None:
    client = token_client(cast, "district_a")
    url = reverse("api:person", kwargs={"person_id": cast.person_a.pk})
    response = client.patch(url, {"name": "区亚勇", "mobile": "139 0574 0009"}, content_type="application/json")
    assert response.status_code == 200
    data = body(response)
    assert (data["name"], data["mobile_masked"], data["employer"]) == (
        "区亚勇",
        "139****0009",
        "宁波精华电子科技股份有限公司",
    )
    person = Person.objects.get(pk=cast.person_a.pk)
    assert (person.name_pinyin, person.name_initials, person.mobile) == ("ouyayong", "oyy", "13905740009")
    assert sorted(person.name_tokens.values_list("token", flat=True)) == sorted(["区亚", "区勇", "亚勇"])
    assert AuditEntry.objects.filter(action="people.person.updated", object_id=str(person.pk)).count() == 1


def test_patch_id_number_contradicting_gender_is_refused(cast: Cast) -> None:
    response = token_client(cast, "city").patch(
        reverse("api:person", kwargs={"person_id": cast.person_a.pk}),
        {"id_number": make_id("330212", "19650312", 22)},  # even: a woman's number for a man
        content_type="application/json",
    )
    assert response.status_code == 422
    assert body(response) == {"detail": "性别与身份证号第17位不一致（奇数为男，偶数为女）", "field": "gender"}
    assert Person.objects.get(pk=cast.person_a.pk).id_last4 == "0013"


# --- list ---------------------------------------------------------------------------------


def _registry(cast: Cast) -> None:
    national = HonourTitle.objects.get(name="全国劳动模范")
    city_title = HonourTitle.objects.get(name="宁波市劳动模范")
    for i, (name, region, status) in enumerate(
        [("王建国", cast.region_a, "retired"), ("王建华", cast.region_a, "working"), ("李明", cast.region_b, "working")]
    ):
        person = create_person(actor=None, region=region, name=name, gender="M", status=status)
        add_honour(actor=None, person=person, title=national if i == 0 else city_title, year=2014)


def test_list_filters_and_pagination(cast: Cast) -> None:
    _registry(cast)
    client = token_client(cast, "city")
    url = reverse("api:people")

    def names(query: str) -> tuple[int, list[str]]:
        data = body(client.get(url + query))
        return data["count"], [p["name"] for p in data["items"]]

    assert names("?q=wyy") == (1, ["万亚勇"])
    assert names("?q=wangjian") == (2, ["王建国", "王建华"])
    assert names("?q=王华") == (1, ["王建华"])
    assert names("?q=0013") == (1, ["万亚勇"])
    assert names(f"?district={cast.region_a.pk}&level=city&status=working") == (1, ["王建华"])
    assert names("?level=national") == (1, ["王建国"])
    # Sorted by pinyin: li, shan, wangjianguo, wangjianhua, wanyayong.
    assert names("?page_size=2") == (5, ["李明", "单秀英"])
    assert names("?page_size=2&page=2") == (5, ["王建国", "王建华"])
    assert names("?page_size=2&page=3") == (5, ["万亚勇"])
    assert names("?page_size=2&page=4") == (5, [])
    first = body(client.get(url + "?q=wangjianguo"))["items"][0]
    assert first["honours"] == [{"title": "全国劳动模范", "year": 2014}]
    assert first["top_level"] == "national"


def test_list_bad_filter_is_422(cast: Cast) -> None:
    response = token_client(cast, "city").get(reverse("api:people") + "?page_size=1000&level=galaxy")
    assert response.status_code == 422
    assert sorted(e["loc"][-1] for e in body(response)["detail"]) == ["level", "page_size"]


def test_list_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    client = token_client(cast, "city")
    url = reverse("api:people") + "?page_size=2"  # page 1 full: the count query runs too
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert body(client.get(url))["count"] == 2
    _registry(cast)
    with CaptureQueriesContext(connection) as many:
        assert body(client.get(url + "&page=2"))["count"] == 5
    assert len(many) == len(few)


# --- honours and skills -------------------------------------------------------------------


def test_honours_add_duplicate_revoke(cast: Cast) -> None:
    client = token_client(cast, "district_a")
    pid = cast.person_a.pk
    title = HonourTitle.objects.get(name="浙江省劳动模范")
    url = reverse("api:person_honours", kwargs={"person_id": pid})
    response = client.post(url, {"title": title.pk, "year": 2021}, content_type="application/json")
    assert response.status_code == 201
    honour = body(response)
    assert (honour["title"], honour["level"], honour["enjoys_level"], honour["awarding_body"]) == (
        "浙江省劳动模范",
        "provincial",
        None,
        "浙江省人民政府",
    )
    assert body(client.get(reverse("api:person", kwargs={"person_id": pid})))["top_level"] == "provincial"
    again = client.post(url, {"title": title.pk, "year": 2021}, content_type="application/json")
    assert (again.status_code, body(again)) == (
        422,
        {"detail": "“万亚勇”已有 2021 年的“浙江省劳动模范”", "field": "title"},
    )
    collective = HonourTitle.objects.get(name="全国工人先锋号")
    refused = client.post(url, {"title": collective.pk, "year": 2021}, content_type="application/json")
    assert body(refused) == {"detail": "“全国工人先锋号”授予集体，不能授予个人", "field": "title"}
    revoke = reverse("api:honour_revoke", kwargs={"person_id": pid, "honour_id": honour["id"]})
    assert body(client.post(revoke, {"reason": "  "}, content_type="application/json")) == {
        "detail": "请填写撤销原因",
        "field": "reason",
    }
    response = client.post(revoke, {"reason": "材料不实"}, content_type="application/json")
    assert (body(response)["revoked"], body(response)["revoked_reason"]) == (True, "材料不实")
    assert [h["revoked"] for h in body(client.get(url))] == [True]
    detail = body(client.get(reverse("api:person", kwargs={"person_id": pid})))
    assert (detail["top_level"], detail["honours"]) == (None, [])


def test_honour_of_another_person_is_404(cast: Cast) -> None:
    honour = add_honour(
        actor=None, person=cast.person_b, title=HonourTitle.objects.get(name="宁波市劳动模范"), year=2019
    )
    response = token_client(cast, "city").post(
        reverse("api:honour_revoke", kwargs={"person_id": cast.person_a.pk, "honour_id": honour.pk}),
        {"reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_skills_add_update_remove(cast: Cast) -> None:
    client = token_client(cast, "district_a")
    pid = cast.person_a.pk
    trade = Trade.objects.get(name="电工")
    url = reverse("api:person_skills", kwargs={"person_id": pid})
    first = body(
        client.post(
            url, {"trade": trade.pk, "grade": "3", "specialties": "高低压配电"}, content_type="application/json"
        )
    )
    assert (first["trade"], first["grade"], first["grade_label"]) == ("电工", "3", "高级工")
    second = body(
        client.post(
            url,
            {"trade": trade.pk, "grade": "1", "specialties": "数控机床维修、PLC编程"},
            content_type="application/json",
        )
    )
    assert (second["id"], second["grade_label"], second["specialties"]) == (
        first["id"],
        "高级技师",
        "数控机床维修、PLC编程",
    )
    assert [s["specialties"] for s in body(client.get(url))] == ["数控机床维修、PLC编程"]
    assert body(client.post(url, {"trade": 0}, content_type="application/json")) == {
        "detail": "工种不存在",
        "field": "trade",
    }
    gone = client.delete(reverse("api:person_skill", kwargs={"person_id": pid, "skill_id": first["id"]}))
    assert gone.status_code == 204
    assert body(client.get(url)) == []
    assert AuditEntry.objects.filter(action="people.skill.removed", object_id=str(pid)).count() == 1


def test_catalogues(cast: Cast) -> None:
    client = token_client(cast, "district_b")
    titles = body(client.get(reverse("api:honour_titles")))
    assert [t["name"] for t in titles] == [row[0] for row in HONOUR_TITLES]
    medal = next(t for t in titles if t["name"] == "全国五一劳动奖章")
    assert (medal["level"], medal["enjoys_level"], medal["for_collectives"]) == ("national", "provincial", False)
    trades = body(client.get(reverse("api:trades")))
    assert [(t["code"], t["name"], t["category"]) for t in trades] == TRADES


# --- schema -------------------------------------------------------------------------------


def _api_paths(patterns: list[Any], prefix: str = "", inside: bool = False) -> set[str]:
    paths: set[str] = set()
    for p in patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            paths |= _api_paths(p.url_patterns, prefix + route, inside or p.namespace == "api")
        elif isinstance(p, URLPattern) and inside and p.name not in {"openapi-json", "openapi-view", "api-root"}:
            paths.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", prefix + route))
    return paths


def test_openapi_lists_every_route(cast: Cast) -> None:
    schema = body(Client().get(reverse("api:openapi-json")))
    listed = set(schema["paths"])
    routes = _api_paths(get_resolver().url_patterns)
    assert {
        "/api/people/people",
        "/api/people/people/{person_id}",
        "/api/people/people/{person_id}/honours",
        "/api/people/people/{person_id}/honours/{honour_id}/revoke",
        "/api/people/people/{person_id}/skills",
        "/api/people/people/{person_id}/skills/{skill_id}",
        "/api/people/honour-titles",
        "/api/people/trades",
        "/api/core/regions",
        "/api/core/regions/{region_id}",
    } <= routes
    assert sorted(routes - listed) == []
    assert sorted(schema["paths"]["/api/people/people/{person_id}"]) == ["get", "patch"]
