"""volunteering.operations: API endpoints under ``/api/volunteering/``, scoped like the pages (outside
the caller's part: 404): dispatching a person to a need, check-in and check-out with results,
lending and returning equipment, closing an incident, the live board and the equipment ledger.
Writes need an ``Idempotency-Key`` header (a replay returns the first answer and changes nothing);
a refusal by the rules is 409 with the message a clerk reads on the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from core.api_input import MAX_OFFSET
from core.errors import DomainError
from core.idempotency import IdempotencyError, run_idempotent
from core.permissions import has_perms, require_api_perm, signed_in
from core.scope import ScopedQuerySet, get_visible_or_404
from people.models import Person
from volunteering.models import Dispatch, EquipmentItem, EquipmentLoan, Incident, Need
from volunteering.operations import selectors, services

router = Router()

MAX_COUNT = 100000


class DispatchIn(Schema):
    person_id: int = Field(..., ge=1, le=2**31 - 1)


class CheckOutIn(Schema):
    problems_solved: int = Field(0, ge=0, le=MAX_COUNT)
    machines_repaired: int = Field(0, ge=0, le=MAX_COUNT)
    people_served: int = Field(0, ge=0, le=MAX_COUNT)
    notes: str = Field("", max_length=2000)


class LendIn(Schema):
    item_id: int = Field(..., ge=1, le=2**31 - 1)
    count: int = Field(..., ge=1, le=MAX_COUNT)


class ReturnIn(Schema):
    count: int = Field(..., ge=1, le=MAX_COUNT)


class DispatchOut(Schema):
    id: int
    need_id: int
    person_id: int
    person: str
    place: str
    status: str
    dispatched_at: dt.datetime
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    problems_solved: int
    machines_repaired: int
    people_served: int


class EquipmentOut(Schema):
    id: int
    name: str
    kind: str
    owner: str
    place: str
    district: str
    count_held: int
    count_out: int
    available: int


class LoanOut(Schema):
    id: int
    item_id: int
    item: str
    need_id: int
    incident_id: int
    place: str
    count: int
    returned: int
    outstanding: int
    lent_at: dt.datetime
    returned_at: dt.datetime | None


def _visible(qs: ScopedQuerySet[Any], request: HttpRequest, pk: int) -> Any:
    try:
        return get_visible_or_404(qs, request.user, pk=pk)
    except Http404 as exc:
        raise HttpError(404, _("记录不存在")) from exc


def _write(request: HttpRequest, key: str, endpoint: str, payload: dict[str, Any], work: Any) -> Status[dict[str, Any]]:
    try:
        status, body = run_idempotent(user=request.user, key=key, endpoint=endpoint, payload=payload, work=work)
    except IdempotencyError as exc:
        raise HttpError(422, exc.message) from exc
    except DomainError as exc:
        raise HttpError(409, exc.message) from exc
    return Status(status, body)


def _dispatch_out(d: Dispatch) -> dict[str, Any]:
    return {
        "id": d.pk,
        "need_id": d.need_id,
        "person_id": d.person_id,
        "person": d.person.name,
        "place": d.need.place,
        "status": d.status,
        "dispatched_at": d.dispatched_at,
        "checked_in_at": d.checked_in_at,
        "checked_out_at": d.checked_out_at,
        "problems_solved": d.problems_solved,
        "machines_repaired": d.machines_repaired,
        "people_served": d.people_served,
    }


def _loan_out(loan: EquipmentLoan) -> dict[str, Any]:
    return {
        "id": loan.pk,
        "item_id": loan.item_id,
        "item": loan.item.name,
        "need_id": loan.need_id,
        "incident_id": loan.need.incident_id,
        "place": loan.need.place,
        "count": loan.count,
        "returned": loan.returned,
        "outstanding": loan.outstanding,
        "lent_at": loan.lent_at,
        "returned_at": loan.returned_at,
    }


def _json(d: dict[str, Any]) -> dict[str, Any]:
    """A dispatch/loan as stored for an idempotent replay (datetimes as text)."""
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in d.items()}


@router.post("/needs/{pk}/dispatches", response={201: DispatchOut}, url_name="volunteering_ops_dispatch")
def dispatch(
    request: HttpRequest,
    pk: int,
    payload: DispatchIn,
    idempotency_key: str = Header(default="", alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    """Send a person who answered 可以去 to a need (refused: 去不了, not answered, on another task)."""
    require_api_perm(request, "volunteering.incidents_command")
    need = _visible(Need.objects.select_related("incident"), request, pk)

    def work() -> tuple[int, dict[str, Any]]:
        person = Person.objects.filter(pk=payload.person_id).first()
        if person is None:
            raise HttpError(404, _("记录不存在"))
        d = services.dispatch_person(actor=signed_in(request), need=need, person=person)
        return 201, _json(_dispatch_out(d))

    return _write(request, idempotency_key, f"volunteering.dispatch:{pk}", {"need": pk, **payload.dict()}, work)


@router.get("/tasks", response=list[DispatchOut], url_name="volunteering_ops_my_tasks")
def my_tasks(
    request: HttpRequest, offset: int = Query(0, ge=0, le=MAX_OFFSET), limit: int = Query(30, ge=1, le=100)
) -> list[dict[str, Any]]:
    """The caller's own tasks, newest first (what the phone page shows)."""
    user = require_api_perm(request, "portal.self")
    qs = Dispatch.objects.filter(person__user=user).select_related("person", "need").order_by("-dispatched_at", "-id")
    return [_dispatch_out(d) for d in qs[offset : offset + limit]]


def _task(request: HttpRequest, pk: int) -> Dispatch:
    """A task the caller may check in/out: their own, or one in their part (staff who dispatch)."""
    user = require_api_perm(request, "portal.self", "volunteering.incidents_command", combine=any)
    own = Dispatch.objects.select_related("person", "need").filter(pk=pk, person__user=user).first()
    if own is not None:
        return own
    if not has_perms(user, ("volunteering.incidents_command",), all):
        raise HttpError(404, _("记录不存在"))  # someone else's task: as on the phone page
    return _visible(Dispatch.objects.select_related("person", "need"), request, pk)  # type: ignore[no-any-return]


@router.post("/tasks/{pk}/check-in", response={200: DispatchOut}, url_name="volunteering_ops_check_in")
def check_in(
    request: HttpRequest, pk: int, idempotency_key: str = Header(default="", alias="Idempotency-Key")
) -> Status[dict[str, Any]]:
    d = _task(request, pk)

    def work() -> tuple[int, dict[str, Any]]:
        return 200, _json(_dispatch_out(services.check_in(actor=signed_in(request), dispatch=d)))

    return _write(request, idempotency_key, f"volunteering.check_in:{pk}", {"task": pk}, work)


@router.post("/tasks/{pk}/check-out", response={200: DispatchOut}, url_name="volunteering_ops_check_out")
def check_out(
    request: HttpRequest,
    pk: int,
    payload: CheckOutIn,
    idempotency_key: str = Header(default="", alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    """End a task with its results (the person must have checked in)."""
    d = _task(request, pk)

    def work() -> tuple[int, dict[str, Any]]:
        done = services.check_out(actor=signed_in(request), dispatch=d, **payload.dict())
        return 200, _json(_dispatch_out(done))

    return _write(request, idempotency_key, f"volunteering.check_out:{pk}", {"task": pk, **payload.dict()}, work)


@router.post("/needs/{pk}/loans", response={201: LoanOut}, url_name="volunteering_ops_lend")
def lend(
    request: HttpRequest,
    pk: int,
    payload: LendIn,
    idempotency_key: str = Header(default="", alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    """Lend equipment to a need (never more than the item has available)."""
    require_api_perm(request, "volunteering.incidents_command")
    need = _visible(Need.objects.all(), request, pk)

    def work() -> tuple[int, dict[str, Any]]:
        item = _visible(EquipmentItem.objects.all(), request, payload.item_id)
        loan = services.lend_equipment(actor=signed_in(request), item=item, need=need, count=payload.count)
        return 201, _json(_loan_out(loan))

    return _write(request, idempotency_key, f"volunteering.lend:{pk}", {"need": pk, **payload.dict()}, work)


@router.post("/loans/{pk}/return", response={200: LoanOut}, url_name="volunteering_ops_return")
def give_back(
    request: HttpRequest,
    pk: int,
    payload: ReturnIn,
    idempotency_key: str = Header(default="", alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    require_api_perm(request, "volunteering.incidents_command")
    loan = _visible(EquipmentLoan.objects.all(), request, pk)

    def work() -> tuple[int, dict[str, Any]]:
        back = services.return_equipment(actor=signed_in(request), loan=loan, count=payload.count)
        return 200, _json(_loan_out(EquipmentLoan.objects.select_related("item", "need").get(pk=back.pk)))

    return _write(request, idempotency_key, f"volunteering.return:{pk}", {"loan": pk, **payload.dict()}, work)


@router.post("/incidents/{pk}/close", response={200: dict[str, Any]}, url_name="volunteering_ops_close")
def close(
    request: HttpRequest, pk: int, idempotency_key: str = Header(default="", alias="Idempotency-Key")
) -> Status[dict[str, Any]]:
    """Close an incident (the city; refused while anyone is still on site)."""
    require_api_perm(request, "volunteering.incidents_open")
    incident = _visible(Incident.objects.all(), request, pk)

    def work() -> tuple[int, dict[str, Any]]:
        done = services.close_incident(actor=signed_in(request), incident=incident)
        return 200, {"id": done.pk, "status": done.status, "ended": done.ended.isoformat() if done.ended else None}

    return _write(request, idempotency_key, f"volunteering.close:{pk}", {"incident": pk}, work)


@router.get("/incidents/{pk}/board", response=dict[str, Any], url_name="volunteering_ops_board")
def board(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The live board's figures for the caller's part of the incident (the page's numbers)."""
    user = require_api_perm(request, "volunteering.incidents_view")
    incident = _visible(Incident.objects.all(), request, pk)
    b = selectors.board(incident, user)
    return {
        "incident": {"id": incident.pk, "title": incident.title, "status": incident.status},
        "needs": b["needs"],
        "people": {k: b[k] or 0 for k in ("called", "answered", "yes", "dispatched", "on_site", "done")},
        "equipment_out": b["equipment_out"],
        "districts": [
            {
                "district": r["district__name"],
                "open": r["open"],
                "covered": r["covered"],
                "dispatched": r["dispatched"],
                "on_site": r["on_site"],
            }
            for r in b["districts"]
        ],
    }


@router.get("/incidents/{pk}/figures", response=dict[str, Any], url_name="volunteering_ops_figures")
def figures(request: HttpRequest, pk: int) -> dict[str, Any]:
    """An incident's figures from the records: the whole incident for the city, the caller's
    district (or team area) for everyone else — as the figures page."""
    user = require_api_perm(request, "volunteering.incidents_view")
    incident = _visible(Incident.objects.all(), request, pk)
    regions = selectors.figures_regions(user, incident)
    region = regions[0] if regions else None
    return {
        "incident": incident.pk,
        "region": region.name if region else None,
        "craftsmen": selectors.craftsmen_count(incident, region),
        "activities": selectors.activities_count(incident, region),
        "enterprises_helped": selectors.enterprises_helped(incident, region),
        "problems_solved": selectors.problems_solved(incident, region),
        "machines_repaired": selectors.machines_repaired(incident, region),
        "people_served": selectors.people_served(incident, region),
        "equipment_sent": selectors.equipment_sent(incident, region=region),
    }


@router.get("/equipment", response=list[EquipmentOut], url_name="volunteering_ops_equipment")
def equipment(
    request: HttpRequest,
    q: str = Query("", max_length=60),
    out: bool = False,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(50, ge=1, le=200),
) -> list[dict[str, Any]]:
    """The equipment ledger in scope: held, still out, available (``out=true``: only items out)."""
    user = require_api_perm(request, "volunteering.incidents_view")
    qs = selectors.equipment_for_user(user, q=q.strip(), only_out=out)[offset : offset + limit]
    return [
        {
            "id": i.pk,
            "name": i.name,
            "kind": i.kind,
            "owner": i.owner,
            "place": i.place,
            "district": i.district.name,
            "count_held": i.count_held,
            "count_out": i.count_out,
            "available": i.available,
        }
        for i in qs
    ]


@router.get("/equipment/{pk}/loans", response=list[LoanOut], url_name="volunteering_ops_equipment_loans")
def equipment_loans(
    request: HttpRequest,
    pk: int,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(50, ge=1, le=200),
) -> list[dict[str, Any]]:
    """One item's loans, newest first."""
    require_api_perm(request, "volunteering.incidents_view")
    item = _visible(EquipmentItem.objects.all(), request, pk)
    return [_loan_out(loan) for loan in selectors.loans_of_item(item).select_related("item")[offset : offset + limit]]
