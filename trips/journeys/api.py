"""trips.journeys: API endpoints (added to ``trips/api.py``'s router, under ``/api/trips/``):
batches, nominations (scoped to the caller's districts) and answers (``Idempotency-Key`` header)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from core.api_input import MAX_OFFSET
from core.errors import DomainError
from core.idempotency import IdempotencyError, run_idempotent
from core.permissions import require_api_perm, signed_in
from core.scope import get_visible_or_404
from trips.journeys import services
from trips.models import Batch, Nomination

router = Router()


class BatchOut(Schema):
    id: int
    name: str
    route: str
    start_date: dt.date
    end_date: dt.date
    capacity: int
    departure: str
    departure_at: dt.datetime | None
    escorts: str


class NominationOut(Schema):
    id: int
    batch: int
    person: int
    person_name: str
    district: str
    rank: int
    status: str
    reason: str
    decline_reason: str


class AnswerIn(Schema):
    accept: bool
    reason: str = ""


def _batch(b: Batch) -> dict[str, Any]:
    return {
        "id": b.pk,
        "name": b.name,
        "route": b.route.name,
        "start_date": b.start_date,
        "end_date": b.end_date,
        "capacity": b.capacity,
        "departure": b.departure,
        "departure_at": b.departure_at,
        "escorts": b.escorts,
    }


def _nomination(n: Nomination) -> dict[str, Any]:
    return {
        "id": n.pk,
        "batch": n.batch_id,
        "person": n.person_id,
        "person_name": n.person.name,
        "district": n.district.name,
        "rank": n.rank,
        "status": n.status,
        "reason": n.reason,
        "decline_reason": n.decline_reason,
    }


@router.get("/batches/", response=list[BatchOut], url_name="journeys_api_batches")
def batches(
    request: HttpRequest,
    year: int | None = Query(None, ge=1900, le=9999),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(100, ge=1, le=500),
) -> Any:
    require_api_perm(request, "trips.journeys_view")
    qs = Batch.objects.select_related("route").order_by("-start_date", "id")
    if year is not None:
        qs = qs.filter(start_date__year=year)
    return [_batch(b) for b in qs[offset : offset + limit]]


@router.get("/nominations/", response=list[NominationOut], url_name="journeys_api_nominations")
def nominations(
    request: HttpRequest,
    batch: int | None = Query(None, ge=1, le=2**63 - 1),
    status: str | None = None,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(100, ge=1, le=500),
) -> Any:
    """The nominations the caller may see (district staff: their districts only)."""
    require_api_perm(request, "trips.journeys_view")
    qs = (
        Nomination.objects.visible_to(request.user).select_related("person", "district").order_by("batch", "rank", "id")
    )
    if batch is not None:
        qs = qs.filter(batch_id=batch)
    if status:
        qs = qs.filter(status=status)
    return [_nomination(n) for n in qs[offset : offset + limit]]


@router.post("/nominations/{pk}/answer/", response={200: NominationOut}, url_name="journeys_api_answer")
def answer(
    request: HttpRequest,
    pk: int,
    payload: AnswerIn,
    idempotency_key: str = Header(default="", alias="Idempotency-Key"),
) -> Any:
    """Record 参加 / 不参加 (reason required). 409 when refused (quota full, overlapping trip…)."""
    require_api_perm(request, "trips.journeys_manage")
    try:
        nom = get_visible_or_404(Nomination.objects.all(), request.user, pk=pk)
    except Http404 as exc:
        raise HttpError(404, _("推荐记录不存在")) from exc

    def work() -> tuple[int, dict[str, Any]]:
        services.answer_nomination(
            actor=signed_in(request), nomination=nom, accept=payload.accept, reason=payload.reason
        )
        return 200, _nomination(Nomination.objects.select_related("person", "district").get(pk=nom.pk))

    try:
        code, body = run_idempotent(
            user=request.user,
            key=idempotency_key,
            endpoint="trips.journeys.answer",
            payload={"pk": pk, **payload.dict()},
            work=work,
        )
    except IdempotencyError as exc:
        raise HttpError(422, exc.message) from exc
    except DomainError as exc:
        raise HttpError(409, exc.message) from exc
    return Status(code, body)
