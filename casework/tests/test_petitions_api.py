"""信访 API: scoped list with filters and bounded paging, detail 404 outside scope (masked mobile,
no ID number), register once per Idempotency-Key, bad input as 4xx with a message."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from casework.models import PetitionCase
from casework.petitions import services
from core.workdays import add_working_days

pytestmark = pytest.mark.django_db
URL = "/api/casework/cases"


def _case(cast: Any, district: Any, **kw: Any) -> PetitionCase:
    args = {"channel": "call", "name": "张三", "matter": "工资拖欠", "district": district, "mobile": "13800001234"}
    return services.register_case(actor=cast.city, **(args | kw))


def test_list_and_detail_are_scoped(cast: Any, client_for: Any) -> None:
    a_case = _case(cast, cast.region_a, id_number="")
    _case(cast, cast.region_b, channel="letter", mobile="13900000000")
    a, b, city = client_for("district_a"), client_for("district_b"), client_for("city")
    listed = a.get(URL).json()
    assert listed["count"] == 1 and listed["items"][0]["number"] == a_case.number
    assert listed["items"][0]["mobile"] == "138****1234"
    assert city.get(URL).json()["count"] == 2
    assert city.get(URL, {"channel": "letter"}).json()["count"] == 1
    assert city.get(URL, {"view": "notice"}).json()["count"] == 2
    assert city.get(URL, {"view": "overdue"}).json()["count"] == 0
    assert city.get(URL, {"limit": 1, "offset": 1}).json()["count"] == 2
    assert len(city.get(URL, {"limit": 1, "offset": 1}).json()["items"]) == 1
    assert city.get(URL, {"limit": 10_000}).status_code == 422
    assert city.get(URL, {"offset": 10**9 + 1}).status_code == 422
    assert city.get(URL, {"offset": 10**9}).json()["items"] == []
    assert city.get(URL, {"view": "zzz"}).status_code == 422
    detail = a.get(f"{URL}/{a_case.pk}")
    assert detail.status_code == 200 and detail.json()["matter"] == "工资拖欠"
    assert "id_number" not in detail.json() and "13800001234" not in detail.content.decode()
    assert b.get(f"{URL}/{a_case.pk}").status_code == 404
    assert a.get(f"{URL}/{2**63}").status_code in (404, 422)


def test_register_once_per_idempotency_key(cast: Any, client_for: Any) -> None:
    a = client_for("district_a")
    body = {
        "channel": "visit",
        "kind": "complaint",
        "name": "李四",
        "matter": "反映待遇",
        "district_id": cast.region_a.pk,
    }
    first = a.post(URL, body, content_type="application/json", headers={"Idempotency-Key": "p1"})
    again = a.post(URL, body, content_type="application/json", headers={"Idempotency-Key": "p1"})
    assert first.status_code == 201, first.content
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    case = PetitionCase.objects.get()
    assert (case.kind, case.channel, case.handler) == ("complaint", "visit", cast.district_a)
    assert case.notice_due == add_working_days(timezone.localdate(), 15)
    other = a.post(URL, {**body, "name": "王五"}, content_type="application/json", headers={"Idempotency-Key": "p1"})
    assert other.status_code == 422
    assert a.post(URL, body, content_type="application/json").status_code == 422  # no key
    assert PetitionCase.objects.count() == 1


def test_register_bad_input(cast: Any, client_for: Any) -> None:
    a = client_for("district_a")
    body = {"channel": "call", "name": "李四", "matter": "反映", "district_id": cast.region_a.pk}

    def post(key: str, **kw: Any) -> Any:
        return a.post(URL, body | kw, content_type="application/json", headers={"Idempotency-Key": key})

    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = post("b1", received_on=future)
    assert response.status_code == 422 and "今天" in response.json()["detail"]
    assert post("b2", channel="fax").status_code == 422
    assert post("b3", kind="x").status_code == 422
    assert post("b4", id_number="123").status_code == 422
    assert post("b5", mobile="12345").status_code == 422
    assert post("b6", district_id=cast.region_b.pk).status_code == 404  # another district's
    assert post("b7", name="").status_code == 422
    assert PetitionCase.objects.count() == 0
    assert post("b8").status_code == 201
