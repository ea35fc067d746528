"""The regions API: a tree cut to the caller's scope."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Region
from core.reference import ningbo
from core.services import create_region, issue_api_token
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def get(cast: Cast, member: str, url: str) -> tuple[int, Any]:
    user = cast.user(member)
    assert user is not None
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(actor=None, user=user, name='t')}")
    response = client.get(url)
    return response.status_code, json.loads(response.content)


def test_city_staff_get_the_whole_tree(cast: Cast) -> None:
    status, tree = get(cast, "city", reverse("api:regions"))
    assert status == 200
    assert [n["name"] for n in tree] == ["浙江省"]
    (city,) = tree[0]["children"]
    assert (city["code"], city["kind"], city["kind_label"]) == ("330200", "city", "市")
    assert [c["code"] for c in city["children"]] == [d[0] for d in ningbo.DISTRICTS] + [z[0] for z in ningbo.ZONES]
    yinzhou = next(c for c in city["children"] if c["code"] == "330212")
    assert [s["name"] for s in yinzhou["children"]] == ["中河街道", "首南街道", "钟公庙街道", "洞桥镇"]


def test_district_staff_get_their_subtree_only(cast: Cast) -> None:
    street = Region.objects.get(name="中河街道")
    create_region(actor=None, code="330212001001", name="中河社区", kind="community", parent=street)
    status, tree = get(cast, "district_a", reverse("api:regions"))
    assert status == 200
    assert [(n["code"], n["name"]) for n in tree] == [("330212", "鄞州区")]
    assert [s["name"] for s in tree[0]["children"]] == ["中河街道", "首南街道", "钟公庙街道", "洞桥镇"]
    assert [c["name"] for c in tree[0]["children"][0]["children"]] == ["中河社区"]


def test_self_service_roles_get_an_empty_tree(cast: Cast) -> None:
    assert get(cast, "worker_a", reverse("api:regions")) == (200, [])


def test_region_detail_and_scope(cast: Cast) -> None:
    url = reverse("api:region", kwargs={"region_id": cast.region_a.pk})
    status, data = get(cast, "district_a", url)
    assert status == 200
    assert (data["code"], data["name"], data["former_codes"], data["parent_id"]) == (
        "330212",
        "鄞州区",
        "330204",
        Region.objects.get(code="330200").pk,
    )
    assert [a["name"] for a in data["ancestors"]] == ["浙江省", "宁波市"]
    assert [c["name"] for c in data["children"]] == ["中河街道", "首南街道", "钟公庙街道", "洞桥镇"]
    assert get(cast, "district_b", url) == (404, {"detail": "Not Found"})


def test_anonymous_gets_401() -> None:
    assert Client().get(reverse("api:regions")).status_code == 401
