"""Small builders for tests and the permission matrix (through the services, like the pages)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assistance import services
from assistance.creditcode import check_character
from assistance.models import Call, Category, HelpRequest, Invitation
from core.models import Region

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
VALID_CODE = "91330212MA2H4B6X3N"  # check character computed (GB 32100)


def valid_credit_code(first17: str = "91330212MA2H4B6X3") -> str:

    return first17 + check_character(first17)


def make_request(
    cast: Any,
    *,
    district: Region | None = None,
    street: Region | None = None,
    requester: Any = "default",
    title: str = "绕线机断线频繁",
    description: str = "电缆绕线机运行中经常断线，希望专家帮忙调整张力控制。",
    category: str = "equipment",
    org_name: str = "宁波测试电缆有限公司",
    call: Call | None = None,
) -> HelpRequest:
    district = district or cast.region_a
    user = cast.requester if requester == "default" else requester
    data = services.RequestData(
        org_kind="enterprise",
        org_name=org_name,
        credit_code=valid_credit_code(),
        address="测试路1号",
        district=district,
        street=street,
        contact_name="张经理",
        contact_mobile="13805749999",
        category=Category.objects.get(code=category),
        title=title,
        description=description,
        urgency="normal",
        call=call,
    )
    return services.submit_request(actor=user, data=data, requester=user, mobile_verified=True)


def accepted_request(cast: Any, **kwargs: Any) -> HelpRequest:
    r = make_request(cast, **kwargs)
    return services.accept_request(actor=cast.city, request=r)


def invited(cast: Any, **kwargs: Any) -> Invitation:
    r = accepted_request(cast, **kwargs)
    return services.invite_people(actor=cast.city, request=r, people=[cast.person_a])[0]


def in_service(cast: Any, **kwargs: Any) -> HelpRequest:
    inv = invited(cast, **kwargs)
    services.answer_invitation(actor=cast.worker_a, invitation=inv, accept=True)
    inv.request.refresh_from_db()
    return inv.request


def with_visit(cast: Any, **kwargs: Any) -> HelpRequest:

    r = in_service(cast, **kwargs)
    services.record_visit(
        actor=cast.city,
        request=r,
        date=timezone.localdate(),
        work_done="调整张力",
        participants=[(cast.person_a, Decimal("3"))],
    )
    r.refresh_from_db()
    return r


def attachment_of(cast: Any) -> Any:
    r = make_request(cast)
    return services.add_attachment(actor=cast.requester, request=r, upload=SimpleUploadedFile("a.png", PNG))
