from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assistance import selectors, services
from assistance.models import Call, HelpRequest, RequestEvent, Status
from assistance.tests import factories as f
from core.errors import DomainError
from core.models import Region, RegionKind, Role
from core.services import create_region
from tests.cast import make_user

pytestmark = pytest.mark.django_db


def test_request_lands_in_grid_of_its_street(cast: Any) -> None:
    street = Region.objects.get(code="330212001")  # 中河街道
    assert f.make_request(cast, street=street).region == street
    g1 = create_region(actor=None, code="330212001001", name="中河一网格", kind=RegionKind.GRID, parent=street, sort=1)
    g2 = create_region(actor=None, code="330212001002", name="宋诏桥网格", kind=RegionKind.GRID, parent=street, sort=2)
    assert f.make_request(cast, street=street).region == g1
    r = services.submit_request(
        actor=cast.requester,
        data=services.RequestData(
            org_kind="community",
            org_name="宋诏桥社区",
            credit_code="",
            address="宋诏桥网格 5号",
            district=cast.region_a,
            street=street,
            contact_name="李",
            contact_mobile="13805749999",
            category=f.Category.objects.get(code="other"),
            title="t",
            description="d",
            urgency="normal",
        ),
        requester=cast.requester,
    )
    assert (r.region, r.district, r.credit_code) == (g2, cast.region_a, "")
    assert f.make_request(cast).region == cast.region_a
    with pytest.raises(DomainError, match="不属于该区县"):
        f.make_request(cast, district=cast.region_b, street=street)


def test_enterprise_needs_valid_credit_code(cast: Any) -> None:
    data = services.RequestData(
        org_kind="enterprise",
        org_name="x",
        credit_code="91350100M000100Y44",
        address="a",
        district=cast.region_a,
        street=None,
        contact_name="c",
        contact_mobile="13805749999",
        category=f.Category.objects.get(code="welding"),
        title="t",
        description="d",
        urgency="normal",
    )
    with pytest.raises(DomainError) as exc:
        services.submit_request(actor=cast.city, data=data, channel="phone")
    assert (exc.value.field, exc.value.message) == ("credit_code", "统一社会信用代码校验位不符，请核对是否抄错")
    data.credit_code = ""
    with pytest.raises(DomainError, match="企业请填写统一社会信用代码"):
        services.submit_request(actor=cast.city, data=data, channel="phone")


def test_request_attaches_to_the_narrowest_running_call(cast: Any) -> None:

    today = timezone.localdate()
    city = Region.objects.get(code="330200")
    Call.objects.create(
        title="全市", starts=today - dt.timedelta(days=5), ends=today + dt.timedelta(days=5), scope=city
    )
    local = Call.objects.create(title="鄞州", starts=today, ends=today, scope=cast.region_a)
    Call.objects.create(title="旧", starts=dt.date(2021, 3, 1), ends=dt.date(2021, 4, 1), scope=cast.region_a)
    assert f.make_request(cast).call == local
    assert str(f.make_request(cast, district=cast.region_b).call) == "全市"


def test_scoping_staff_and_requesters(cast: Any, client_for: Any) -> None:
    a = f.make_request(cast)
    b = f.make_request(cast, district=cast.region_b)
    other = make_user("requester2", Role.REQUESTER)
    c = f.make_request(cast, requester=other)
    assert list(selectors.requests_for_user(cast.district_a).order_by("pk")) == [a, c]
    assert list(selectors.requests_for_user(cast.district_b)) == [b]
    assert list(selectors.requests_for_user(cast.requester).order_by("pk")) == [a, b]
    assert list(selectors.requests_for_user(cast.city).order_by("pk")) == [a, b, c]
    assert client_for("district_b").get(reverse("assistance:request_detail", args=[a.pk])).status_code == 404
    requester = client_for("requester")
    assert requester.get(reverse("assistance:my_request", args=[a.pk])).status_code == 200
    assert requester.get(reverse("assistance:my_request", args=[c.pk])).status_code == 404
    page = requester.get(reverse("assistance:my_requests")).content.decode()
    assert (a.number in page, b.number in page, c.number in page) == (True, True, False)
    api = requester.get(reverse("api:assistance_requests")).json()
    assert sorted(r["number"] for r in api) == sorted([a.number, b.number])


def test_triage_accept_decline_merge_transfer(cast: Any, client_for: Any) -> None:
    r = f.make_request(cast)
    services.accept_request(actor=cast.district_a, request=r)
    r.refresh_from_db()
    assert r.status == Status.ACCEPTED and r.accepted_at is not None
    with pytest.raises(DomainError, match="当前为“已受理”"):
        services.accept_request(actor=cast.district_a, request=r)
    with pytest.raises(DomainError, match="请填写不予受理的原因"):
        services.decline_request(actor=cast.district_a, request=r, reason=" ")

    d = f.make_request(cast, title="另一个")
    services.decline_request(actor=cast.district_a, request=d, reason="属于产品质量纠纷，请联系市场监管部门")
    page = client_for("requester").get(reverse("assistance:my_request", args=[d.pk])).content.decode()
    assert "属于产品质量纠纷，请联系市场监管部门" in page
    assert HelpRequest.objects.get(pk=d.pk).status == Status.DECLINED

    dup = f.make_request(cast)
    services.add_attachment(actor=cast.requester, request=dup, upload=SimpleUploadedFile("x.png", f.PNG))
    services.merge_request(actor=cast.district_a, request=dup, into=r)
    dup.refresh_from_db()
    assert (dup.status, dup.merged_into_id, r.attachments.count()) == (Status.MERGED, r.pk, 1)
    with pytest.raises(DomainError, match="不能与自身合并"):
        services.merge_request(actor=cast.district_a, request=r, into=r)

    t = f.make_request(cast)
    client = client_for("district_a")
    response = client.post(
        reverse("assistance:request_transfer", args=[t.pk]),
        {"district": cast.region_b.pk, "street": "", "note": "地址在海曙"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("assistance:request_list")
    t.refresh_from_db()
    assert (t.district, t.region, t.status) == (cast.region_b, cast.region_b, Status.SUBMITTED)
    assert client.get(reverse("assistance:request_detail", args=[t.pk])).status_code == 404
    assert client_for("district_b").get(reverse("assistance:request_detail", args=[t.pk])).status_code == 200
    kinds = list(RequestEvent.objects.filter(request=t).values_list("kind", flat=True))
    assert kinds == ["submitted", "transferred"]


def test_triage_through_pages(cast: Any, client_for: Any) -> None:
    r = f.make_request(cast)
    client = client_for("district_a")
    client.post(reverse("assistance:request_accept", args=[r.pk]))
    other = f.make_request(cast)
    client.post(reverse("assistance:request_merge", args=[other.pk]), {"into": r.number})
    other.refresh_from_db()
    r.refresh_from_db()
    assert (r.status, other.status, other.merged_into_id) == (Status.ACCEPTED, Status.MERGED, r.pk)


def test_public_apply_flow_creates_account_and_request(
    cast: Any, sms: list, django_capture_on_commit_callbacks: Any
) -> None:

    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("assistance:apply"), {"mobile": "13905748888"})["Location"] == reverse(
            "assistance:apply_verify"
        )
    code = sms[-1][1].split("验证码是")[1][:6]
    assert client.post(reverse("assistance:apply_verify"), {"code": code})["Location"] == reverse(
        "assistance:apply_form"
    )
    form = {
        "org_kind": "enterprise",
        "org_name": "宁波市林工艺品有限公司",
        "credit_code": f.valid_credit_code(),
        "district": cast.region_a.pk,
        "street": Region.objects.get(code="330212002").pk,
        "address": "首南街道1号",
        "contact_name": "林总",
        "category": f.Category.objects.get(code="automation").pk,
        "title": "包装线用人多",
        "description": "包装线需要8个人，希望自动化改造",
        "urgency": "normal",
        "password": "Linzong-2026!x",
        "password2": "Linzong-2026!x",
        "photo": SimpleUploadedFile("line.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100),
    }
    response = client.post(reverse("assistance:apply_form"), form)
    r = HelpRequest.objects.get()
    assert response["Location"] == reverse("assistance:my_request", args=[r.pk])
    assert r.requester is not None
    assert (r.requester.username, r.contact_mobile, r.mobile_verified, r.region.code) == (
        "13905748888",
        "13905748888",
        True,
        "330212002",
    )
    assert [a.original_name for a in r.attachments.all()] == ["line.jpg"]
    # Add a second photo, one at a time; a wrong type is refused with a reason.
    client.post(reverse("assistance:my_request_upload", args=[r.pk]), {"file": SimpleUploadedFile("b.png", f.PNG)})
    client.post(reverse("assistance:my_request_upload", args=[r.pk]), {"file": SimpleUploadedFile("c.exe", b"MZ")})
    assert [a.original_name for a in r.attachments.all()] == ["line.jpg", "b.png"]
    last = r.attachments.last()
    assert last is not None
    page = client.get(reverse("assistance:my_request", args=[r.pk])).content.decode()
    assert page.count(f'src="{reverse("assistance:attachment", args=[last.pk])}"') == 1  # the preview
    image = client.get(reverse("assistance:attachment", args=[last.pk]))
    assert (image.status_code, image["Content-Type"]) == (200, "image/png")
    # Later: log in with the mobile and the password set here.
    fresh = Client()
    fresh.post(reverse("core:login"), {"username": "13905748888", "password": "Linzong-2026!x"})
    assert fresh.get(reverse("assistance:my_requests")).status_code == 200


def test_upload_checks_type_and_content(cast: Any) -> None:
    r = f.make_request(cast)
    with pytest.raises(DomainError, match="文件内容与扩展名不符"):
        services.add_attachment(actor=cast.requester, request=r, upload=SimpleUploadedFile("x.jpg", b"not a jpeg"))
    with pytest.raises(DomainError, match="只能上传照片"):
        services.add_attachment(actor=cast.requester, request=r, upload=SimpleUploadedFile("x.svg", b"<svg/>"))
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError, match="文件不能超过10MB"):
        services.add_attachment(actor=cast.requester, request=r, upload=big)


@pytest.mark.parametrize("name, member", [("assistance:request_list", "city"), ("assistance:my_requests", "requester")])
def test_lists_have_no_n_plus_one(cast: Any, client_for: Any, name: str, member: str) -> None:

    client = client_for(member)
    f.make_request(cast)
    client.get(reverse(name))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(name)).status_code == 200
    f.make_request(cast, district=cast.region_b)
    f.make_request(cast)
    with CaptureQueriesContext(connection) as three:
        assert client.get(reverse(name)).status_code == 200
    assert len(three) == len(one)
