"""volunteering.incidents: API endpoints under ``/api/volunteering/`` (scoped like the pages):
incidents, a need's proposal, sending a call-out and answering one. Writes need an
``Idempotency-Key`` header: a replay returns the first answer and changes nothing."""

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
from volunteering.incidents import services
from volunteering.incidents.proposal import propose
from volunteering.incidents.selectors import callable_person_ids
from volunteering.models import CallOutAnswer, Incident, Need

router = Router()


class IncidentOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    started: dt.datetime


class ProposalOut(Schema):
    person_id: int
    name: str
    score: float
    reasons: list[str]
    load: int


class CallOutIn(Schema):
    person_ids: list[int]
    message: str = ""


class AnswerIn(Schema):
    answer: str
    reason: str = ""


def _idempotent(
    request: HttpRequest, key: str, endpoint: str, payload: dict[str, Any], work: Any
) -> Status[dict[str, Any]]:
    try:
        status, body = run_idempotent(user=request.user, key=key, endpoint=endpoint, payload=payload, work=work)
    except IdempotencyError as exc:
        raise HttpError(422, exc.message) from exc
    except DomainError as exc:
        raise HttpError(409, exc.message) from exc
    return Status(status, body)


@router.get("/incidents", response=list[IncidentOut], url_name="volunteering_incidents")
def incidents(
    request: HttpRequest, offset: int = Query(0, ge=0, le=MAX_OFFSET), limit: int = Query(50, ge=1, le=200)
) -> list[dict[str, Any]]:
    require_api_perm(request, "volunteering.incidents_view")
    qs = Incident.objects.visible_to(request.user).order_by("-started", "-id")[offset : offset + limit]
    return [{"id": i.pk, "title": i.title, "kind": i.kind, "status": i.status, "started": i.started} for i in qs]


def _need(request: HttpRequest, pk: int) -> Need:
    try:
        return get_visible_or_404(Need.objects.select_related("incident", "specialty"), request.user, pk=pk)
    except Http404 as exc:
        raise HttpError(404, _("记录不存在")) from exc


@router.get("/needs/{pk}/proposal", response=list[ProposalOut], url_name="volunteering_proposal")
def proposal(request: HttpRequest, pk: int, limit: int = Query(50, ge=1, le=200)) -> list[dict[str, Any]]:
    """People proposed for a need, best first, with the reasons."""
    user = require_api_perm(request, "volunteering.incidents_command")
    need = _need(request, pk)
    only = callable_person_ids(user, need)
    return [
        {"person_id": p.person.pk, "name": p.person.name, "score": p.score, "reasons": p.reasons, "load": p.load}
        for p in propose(need, limit=limit, only_person_ids=only)
    ]


@router.post("/needs/{pk}/callouts", response={200: dict[str, Any]}, url_name="volunteering_callout_send")
def send_callout(
    request: HttpRequest,
    pk: int,
    payload: CallOutIn,
    idempotency_key: str = Header(default="", alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    require_api_perm(request, "volunteering.incidents_command")
    need = _need(request, pk)
    ids = payload.person_ids[:5000]

    def work() -> tuple[int, dict[str, Any]]:
        c = services.send_callout(actor=signed_in(request), need=need, person_ids=ids, message=payload.message)
        return 200, {"id": c.pk, "total": c.total, "status": c.status, "job": str(c.job_id or "")}

    return _idempotent(request, idempotency_key, f"volunteering.callout:{pk}", {"need": pk, **payload.dict()}, work)


@router.post("/answers/{pk}", response={200: dict[str, Any]}, url_name="volunteering_answer")
def answer(
    request: HttpRequest, pk: int, payload: AnswerIn, idempotency_key: str = Header(default="", alias="Idempotency-Key")
) -> Status[dict[str, Any]]:
    """The signed-in person answers a call-out to them: ``yes`` (可以去) or ``no`` (去不了)."""
    user = require_api_perm(request, "portal.self")
    row = CallOutAnswer.objects.filter(pk=pk, person__user=user).first()
    if row is None:
        raise HttpError(404, _("记录不存在"))

    def work() -> tuple[int, dict[str, Any]]:
        done, recorded = services.answer_callout(
            actor=signed_in(request), row=row, answer=payload.answer, reason=payload.reason
        )
        return 200, {"id": done.pk, "answer": done.answer, "recorded": recorded}

    return _idempotent(request, idempotency_key, f"volunteering.answer:{pk}", {"answer": pk, **payload.dict()}, work)
