"""casework.hardship: API endpoints (added to ``casework/api.py``'s router, under ``/api/casework/``).

Files are scoped like the pages (outside the scope: 404); health and finance are never in the API.
Writes take an ``Idempotency-Key`` header: a replay returns the first answer and changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from casework.hardship import selectors, services
from casework.models.hardship import HardshipFile, HardshipTerm, TermKind
from core.api_input import MAX_OFFSET
from core.errors import DomainError
from core.idempotency import IdempotencyError, run_idempotent
from core.permissions import require_api_perm, signed_in
from core.scope import get_visible_or_404
from people.models import Person

router = Router()


class FileOut(Schema):
    id: int
    number: str
    person_id: int
    person_name: str
    district: str
    category: str
    step: str
    status: str
    applied_on: dt.date
    filed_on: dt.date | None
    close_flagged: bool


class FileList(Schema):
    count: int
    items: list[FileOut]


class FileIn(Schema):
    person_id: int = Field(..., ge=1, le=2**62)
    category: str = Field(..., max_length=40)
    causes: list[str] = Field(default_factory=list, max_length=20)
    summary: str = Field("", max_length=2000)
    applied_on: dt.date | None = None


class HelpIn(Schema):
    kind: str = Field(..., max_length=12)
    amount: Decimal = Field(..., max_digits=14, decimal_places=6)
    given_on: dt.date
    source: str = Field("", max_length=60)
    giver: str = Field("", max_length=60)
    note: str = Field("", max_length=200)


class HelpOut(Schema):
    id: int
    file_id: int
    kind: str
    amount: Decimal
    given_on: dt.date
    status: str


def _out(f: HardshipFile) -> dict[str, Any]:
    return {
        "id": f.pk,
        "number": f.number,
        "person_id": f.person_id,
        "person_name": f.person.name,
        "district": f.district.name,
        "category": f.category.name if f.category else "",
        "step": f.step,
        "status": f.status,
        "applied_on": f.applied_on,
        "filed_on": f.filed_on,
        "close_flagged": f.close_flagged,
    }


def _file(request: HttpRequest, file_id: int) -> HardshipFile:
    try:
        return get_visible_or_404(
            HardshipFile.objects.select_related("person", "district", "category"), request.user, pk=file_id
        )
    except Http404 as exc:
        raise HttpError(404, _("记录不存在")) from exc


@router.get("/files", response=FileList, url_name="casework_hardship_files")
def list_files(
    request: HttpRequest,
    status: str = "",
    step: str = "",
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    user = require_api_perm(request, "casework.hardship_view")
    qs = selectors.files_for(user, {"status": status[:10], "step": step[:12]})
    return {"count": qs.count(), "items": [_out(f) for f in qs[offset : offset + limit]]}


@router.get("/files/{file_id}", response=FileOut, url_name="casework_hardship_file")
def get_file(request: HttpRequest, file_id: int) -> dict[str, Any]:
    require_api_perm(request, "casework.hardship_view")
    if not 0 < file_id < 2**62:
        raise HttpError(404, _("记录不存在"))
    return _out(_file(request, file_id))


def _idempotent(request: HttpRequest, key: str, endpoint: str, payload: dict[str, Any], work: Any) -> Status[Any]:
    try:
        status, body = run_idempotent(user=request.user, key=key, endpoint=endpoint, payload=payload, work=work)
    except IdempotencyError as exc:
        raise HttpError(422, exc.message) from exc
    except DomainError as exc:
        raise HttpError(409, exc.message) from exc
    return Status(status, body)


@router.post("/files", response={201: FileOut}, url_name="casework_hardship_file_create")
def create_file(
    request: HttpRequest, payload: FileIn, idempotency_key: str = Header(default="", alias="Idempotency-Key")
) -> Status[Any]:
    user = require_api_perm(request, "casework.hardship_manage")
    try:
        person = get_visible_or_404(Person.objects.filter(merged_into__isnull=True), user, pk=payload.person_id)
    except Http404 as exc:
        raise HttpError(404, _("人员不存在")) from exc
    category = HardshipTerm.objects.filter(kind=TermKind.CATEGORY, name=payload.category, active=True).first()
    if category is None:
        raise HttpError(422, _("困难类别不存在"))
    causes = list(HardshipTerm.objects.filter(kind=TermKind.CAUSE, name__in=payload.causes))

    def work() -> tuple[int, dict[str, Any]]:
        file = services.open_file(
            actor=signed_in(request),
            person=person,
            category=category,
            causes=causes,
            summary=payload.summary,
            applied_on=payload.applied_on,
        )
        file = HardshipFile.objects.select_related("person", "district", "category").get(pk=file.pk)
        return 201, _out(file)

    return _idempotent(request, idempotency_key, "casework.hardship.create_file", payload.dict(), work)


@router.post("/files/{file_id}/help", response={201: HelpOut}, url_name="casework_hardship_help_create")
def create_help(
    request: HttpRequest,
    file_id: int,
    payload: HelpIn,
    idempotency_key: str = Header(default="", alias="Idempotency-Key"),
) -> Status[Any]:
    require_api_perm(request, "casework.hardship_manage")
    if not 0 < file_id < 2**62:
        raise HttpError(404, _("记录不存在"))
    file = _file(request, file_id)

    def work() -> tuple[int, dict[str, Any]]:
        record = services.add_help(actor=signed_in(request), file=file, **payload.dict())
        return 201, {
            "id": record.pk,
            "file_id": file.pk,
            "kind": record.kind,
            "amount": str(record.amount),
            "given_on": record.given_on.isoformat(),
            "status": record.status,
        }

    return _idempotent(
        request, idempotency_key, f"casework.hardship.help:{file_id}", {"file": file_id, **payload.dict()}, work
    )
