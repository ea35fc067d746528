"""The payments API (mounted at /api/payments/): rounds, their lines (bank accounts masked), and
recording a line's result. Writes need an ``Idempotency-Key`` header: a replay returns the first
answer and changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from core.api_input import MAX_OFFSET
from core.errors import DomainError
from core.idempotency import IdempotencyError, run_idempotent
from core.permissions import require_api_perm, signed_in
from core.scope import get_visible_or_404
from payments import selectors, services
from payments.models import Payout, PayoutResult

router = Router(tags=["payments"])


class TotalsOut(Schema):
    approved_people: int
    approved_total: Decimal
    first_time_people: int
    paid_people: int
    paid_total: Decimal
    failed_people: int
    failed_total: Decimal
    returned_people: int
    returned_total: Decimal
    pending_people: int
    pending_total: Decimal
    excluded_people: int


class RoundOut(Schema):
    id: int
    title: str
    kind: str
    year: int
    status: str
    rule_version: str
    reference_date: dt.date
    follow_up_of: int | None


class RoundDetailOut(RoundOut):
    totals: TotalsOut


class PayoutOut(Schema):
    id: int
    reference: str
    person_id: int
    name: str
    district: str
    level: str
    honour: str
    amount: Decimal
    reason: str
    first_time: bool
    excluded: bool
    excluded_reason: str
    bank_account: str
    result: str
    result_reason: str


class ResultIn(Schema):
    result: str
    reason: str = ""


class ResultOut(Schema):
    id: int
    reference: str
    result: str
    result_reason: str
    replayed: bool = False


def _round_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "title": r.title,
        "kind": r.kind.name,
        "year": r.year,
        "status": r.status,
        "rule_version": str(r.rule_version),
        "reference_date": r.reference_date,
        "follow_up_of": r.follow_up_of_id,
    }


@router.get("/rounds", response=list[RoundOut], url_name="payments_rounds")
def list_rounds(request: HttpRequest) -> list[dict[str, Any]]:
    require_api_perm(request, "payments.view")
    return [_round_out(r) for r in selectors.rounds_for_user(request.user)]


@router.get("/rounds/{round_id}", response=RoundDetailOut, url_name="payments_round")
def round_detail(request: HttpRequest, round_id: int) -> dict[str, Any]:
    require_api_perm(request, "payments.view")
    r = get_object_or_404(selectors.rounds_for_user(request.user), pk=round_id)
    totals = selectors.round_totals(r, request.user)
    return {**_round_out(r), "totals": totals.__dict__}


@router.get("/rounds/{round_id}/payouts", response=list[PayoutOut], url_name="payments_payouts")
def list_payouts(
    request: HttpRequest, round_id: int, offset: int = Query(0, ge=0, le=MAX_OFFSET), limit: int = Query(100, ge=1)
) -> list[dict[str, Any]]:
    """Scoped: district staff get their district's lines only. Accounts are always masked here."""
    require_api_perm(request, "payments.view")
    r = get_object_or_404(selectors.rounds_for_user(request.user), pk=round_id)
    limit = max(1, min(limit, 1000))
    qs = selectors.payouts_for(request.user, r).select_related("person", "district").order_by("id")
    return [
        {
            "id": p.pk,
            "reference": p.reference,
            "person_id": p.person_id,
            "name": p.person.name,
            "district": p.district.name,
            "level": p.level,
            "honour": p.honour_name,
            "amount": p.amount,
            "reason": p.reason,
            "first_time": p.first_time,
            "excluded": p.excluded,
            "excluded_reason": p.excluded_reason,
            "bank_account": p.bank_account_masked,
            "result": p.result,
            "result_reason": p.result_reason,
        }
        for p in qs[offset : offset + limit]
    ]


@router.post("/payouts/{payout_id}/result", response={200: ResultOut}, url_name="payments_mark_result")
def mark_result(
    request: HttpRequest,
    payout_id: int,
    payload: ResultIn,
    idempotency_key: str = Header(default="", alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    require_api_perm(request, "payments.manage")
    try:
        payout = get_visible_or_404(Payout.objects.select_related("round", "person"), request.user, pk=payout_id)
    except Http404 as exc:
        raise HttpError(404, _("记录不存在")) from exc
    if payload.result not in (PayoutResult.PAID, PayoutResult.FAILED, PayoutResult.RETURNED):
        raise HttpError(422, _("result 只能是 paid、failed 或 returned"))

    def work() -> tuple[int, dict[str, Any]]:
        done = services.mark_result(
            actor=signed_in(request), payout=payout, result=payload.result, reason=payload.reason
        )
        return 200, {
            "id": done.pk,
            "reference": done.reference,
            "result": done.result,
            "result_reason": done.result_reason,
        }

    try:
        status, body = run_idempotent(
            user=request.user,
            key=idempotency_key,
            endpoint=f"payments.mark_result:{payout_id}",
            payload={"payout": payout_id, **payload.dict()},
            work=work,
        )
    except IdempotencyError as exc:
        raise HttpError(422, exc.message) from exc
    except DomainError as exc:
        raise HttpError(409, exc.message) from exc
    return Status(status, body)
