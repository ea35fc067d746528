"""casework.petitions: API endpoints (added to ``casework/api.py``'s router, under ``/api/casework/``).

Cases are scoped like the pages (outside the scope: 404); the mobile number is masked and the ID
number never leaves the server. Registering takes an ``Idempotency-Key`` header: a replay returns
the first answer and registers nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from casework.models import PetitionCase, PetitionChannel, PetitionKind, PetitionStatus
from casework.petitions import selectors, services
from core.api_input import MAX_OFFSET
from core.errors import DomainError
from core.idempotency import IdempotencyError, run_idempotent
from core.idnumber import IdNumberError, parse_id_number
from core.masking import mask_mobile
from core.permissions import require_api_perm, signed_in
from core.scope import get_visible_or_404

router = Router()
VIEWS = {"", "open", "notice", "due_soon", "overdue", "extension"}


class CaseOut(Schema):
    id: int
    number: str
    channel: str
    kind: str
    name: str
    mobile: str
    district_id: int
    district: str
    status: str
    received_on: dt.date
    notice_due: dt.date
    noticed_on: dt.date | None
    due: dt.date
    extended_days: int
    repeat_of_id: int | None
    closed_on: dt.date | None
    satisfaction: str
    category_id: int | None
    stage: str
    review_of_id: int | None


class CaseDetailOut(CaseOut):
    matter: str
    extension_reason: str
    answer: str
    handler: str


class CaseList(Schema):
    count: int
    items: list[CaseOut]


class CaseIn(Schema):
    channel: str = Field(..., max_length=10)
    kind: str = Field(PetitionKind.APPEAL, max_length=12)
    name: str = Field(..., min_length=1, max_length=50)
    matter: str = Field(..., min_length=1, max_length=4000)
    district_id: int = Field(..., ge=1, le=2**62)
    mobile: str = Field("", pattern=r"^(1\d{10})?$")
    id_number: str = Field("", max_length=18)
    received_on: dt.date | None = None


def _out(c: PetitionCase) -> dict[str, Any]:
    return {
        "id": c.pk,
        "number": c.number,
        "channel": c.channel,
        "kind": c.kind,
        "name": c.name,
        "mobile": mask_mobile(c.mobile),
        "district_id": c.district_id,
        "district": c.district.name,
        "status": c.status,
        "received_on": c.received_on,
        "notice_due": c.notice_due,
        "noticed_on": c.noticed_on,
        "due": c.due,
        "extended_days": c.extended_days,
        "repeat_of_id": c.repeat_of_id,
        "closed_on": c.closed_on,
        "satisfaction": c.satisfaction,
        "category_id": c.category_id,
        "stage": c.stage,
        "review_of_id": c.review_of_id,
    }


def _detail(c: PetitionCase) -> dict[str, Any]:
    return _out(c) | {
        "matter": c.matter,
        "extension_reason": c.extension_reason,
        "answer": c.answer,
        "handler": str(c.handler) if c.handler else "",
    }


@router.get("/cases", response=CaseList, url_name="casework_petitions_cases")
def list_cases(
    request: HttpRequest,
    view: str = "",
    channel: str = "",
    kind: str = "",
    status: str = "",
    q: str = "",
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """Cases the caller may see; ``view``: open / notice / due_soon / overdue / extension (the work lists)."""
    user = require_api_perm(request, "casework.petitions_view")
    if view not in VIEWS:
        raise HttpError(422, _("view 不正确"))
    qs = selectors.work_list(
        user, view, q.strip()[:50], channel if channel in PetitionChannel.values else ""
    ).select_related("district")
    if kind in PetitionKind.values:
        qs = qs.filter(kind=kind)
    if status in PetitionStatus.values:
        qs = qs.filter(status=status)
    return {"count": qs.count(), "items": [_out(c) for c in qs[offset : offset + limit]]}


@router.get("/cases/{case_id}", response=CaseDetailOut, url_name="casework_petitions_case")
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    user = require_api_perm(request, "casework.petitions_view")
    if not 0 < case_id < 2**62:
        raise HttpError(404, _("记录不存在"))
    try:
        case = get_visible_or_404(PetitionCase.objects.select_related("district", "handler"), user, pk=case_id)
    except Http404 as exc:
        raise HttpError(404, _("记录不存在")) from exc
    return _detail(case)


@router.post("/cases", response={201: CaseDetailOut}, url_name="casework_petitions_case_create")
def create_case(
    request: HttpRequest, payload: CaseIn, idempotency_key: str = Header(default="", alias="Idempotency-Key")
) -> Status[Any]:
    """Register a letter, call or visit (as the register page does); the caller is its handler."""
    user = require_api_perm(request, "casework.petitions_handle")
    district = selectors.districts_for(user).filter(pk=payload.district_id).first()
    if district is None:
        raise HttpError(404, _("区县(市)不存在"))
    if payload.channel not in PetitionChannel.values:
        raise HttpError(422, _("渠道不正确"))
    if payload.kind not in PetitionKind.values:
        raise HttpError(422, _("信访类型不正确。"))
    id_number = ""
    if payload.id_number.strip():
        try:
            id_number = parse_id_number(payload.id_number.strip()).number
        except IdNumberError as exc:
            raise HttpError(422, _("身份证号不正确。")) from exc

    def work() -> tuple[int, dict[str, Any]]:
        case = services.register_case(
            actor=signed_in(request),
            channel=payload.channel,
            kind=payload.kind,
            name=payload.name,
            matter=payload.matter,
            district=district,
            mobile=payload.mobile,
            id_number=id_number,
            received_on=payload.received_on,
            handler=signed_in(request),
        )
        case = PetitionCase.objects.select_related("district", "handler").get(pk=case.pk)
        body = _detail(case)
        return 201, {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in body.items()}

    try:
        status, body = run_idempotent(
            user=user, key=idempotency_key, endpoint="casework.petitions.create_case", payload=payload.dict(), work=work
        )
    except IdempotencyError as exc:
        raise HttpError(422, exc.message) from exc
    except DomainError as exc:
        raise HttpError(422, exc.message) from exc
    return Status(status, body)


class ExtendIn(Schema):
    days: int = Field(ge=1, le=365)
    reason: str = Field(min_length=1, max_length=200)


class ExtensionOut(Schema):
    case_id: int
    days: int
    reason: str
    status: str


@router.post("/cases/{case_id}/extend", response={201: ExtensionOut}, url_name="casework_petitions_case_extend")
def extend_case(
    request: HttpRequest,
    case_id: int,
    payload: ExtendIn,
    idempotency_key: str = Header(default="", alias="Idempotency-Key"),
) -> Status[Any]:
    """Ask for the case's one extension (≤ the 延期 rule's days, with a reason); an approver decides it
    on the case page. A replay of the same key returns the first answer."""
    user = require_api_perm(request, "casework.petitions_handle")
    if not 0 < case_id < 2**62:
        raise HttpError(404, _("记录不存在"))
    try:
        case = get_visible_or_404(PetitionCase.objects.all(), user, pk=case_id)
    except Http404 as exc:
        raise HttpError(404, _("记录不存在")) from exc

    def work() -> tuple[int, dict[str, Any]]:
        ext = services.request_extension(actor=signed_in(request), case=case, days=payload.days, reason=payload.reason)
        return 201, {"case_id": case.pk, "days": ext.days, "reason": ext.reason, "status": ext.status}

    try:
        status, body = run_idempotent(
            user=user,
            key=idempotency_key,
            endpoint="casework.petitions.extend_case",
            payload={"case_id": case_id} | payload.dict(),
            work=work,
        )
    except IdempotencyError as exc:
        raise HttpError(422, exc.message) from exc
    except DomainError as exc:
        raise HttpError(422, exc.message) from exc
    return Status(status, body)
