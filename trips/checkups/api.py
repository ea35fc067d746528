"""trips.checkups: API endpoints (added to ``trips/api.py``'s router, under ``/api/trips/``):
campaigns, slots and bookings, scoped. Booking writes take an ``Idempotency-Key`` header."""

from __future__ import annotations

import datetime as dt
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
from people.models import Person
from trips.checkups import selectors, services
from trips.models.checkups import CheckupBooking, CheckupCampaign, CheckupSlot

router = Router()


class CampaignOut(Schema):
    id: int
    year: int
    title: str
    starts: dt.date
    ends: dt.date


class SlotOut(Schema):
    id: int
    hospital: str
    date: dt.date
    start: dt.time
    end: dt.time
    capacity: int
    taken: int


class BookingOut(Schema):
    id: int
    campaign: int
    person: int
    person_name: str
    district: str
    slot: int
    status: str
    result: str


class BookingIn(Schema):
    person: int
    slot: int


def _slot(s: CheckupSlot) -> dict[str, Any]:
    return {
        "id": s.pk,
        "hospital": s.hospital.name,
        "date": s.date,
        "start": s.start,
        "end": s.end,
        "capacity": s.capacity,
        "taken": s.taken,
    }


def _booking(b: CheckupBooking) -> dict[str, Any]:
    return {
        "id": b.pk,
        "campaign": b.campaign_id,
        "person": b.person_id,
        "person_name": b.person.name,
        "district": b.district.name,
        "slot": b.slot_id,
        "status": b.status,
        "result": b.result,
    }


@router.get("/checkups/campaigns/", response=list[CampaignOut], url_name="checkups_api_campaigns")
def campaigns(request: HttpRequest) -> Any:
    require_api_perm(request, "trips.checkups_view")
    return list(CheckupCampaign.objects.all())


@router.get("/checkups/campaigns/{pk}/slots/", response=list[SlotOut], url_name="checkups_api_slots")
def slots(
    request: HttpRequest, pk: int, offset: int = Query(0, ge=0, le=MAX_OFFSET), limit: int = Query(100, ge=1, le=500)
) -> Any:
    require_api_perm(request, "trips.checkups_view")
    c = get_object_or_404(CheckupCampaign, pk=pk)
    qs = c.slots.select_related("hospital").order_by("date", "start", "id")
    return [_slot(s) for s in qs[offset : offset + limit]]


@router.get("/checkups/campaigns/{pk}/bookings/", response=list[BookingOut], url_name="checkups_api_bookings")
def bookings(
    request: HttpRequest, pk: int, offset: int = Query(0, ge=0, le=MAX_OFFSET), limit: int = Query(100, ge=1, le=500)
) -> Any:
    require_api_perm(request, "trips.checkups_view")
    c = get_object_or_404(CheckupCampaign, pk=pk)
    return [_booking(b) for b in selectors.bookings_for(request.user, c)[offset : offset + limit]]


@router.post("/checkups/bookings/", response={200: BookingOut, 201: BookingOut}, url_name="checkups_api_book")
def book(
    request: HttpRequest, payload: BookingIn, idempotency_key: str = Header(default="", alias="Idempotency-Key")
) -> Any:
    """Book a person into a slot (or move their booking there). 409 when the slot is full."""
    require_api_perm(request, "trips.checkups_book")
    try:
        person = get_visible_or_404(Person.objects.all(), request.user, pk=payload.person)
    except Http404 as exc:
        raise HttpError(404, _("人员不存在")) from exc
    slot = CheckupSlot.objects.filter(pk=payload.slot).first()
    if slot is None:
        raise HttpError(404, _("时段不存在"))

    def work() -> tuple[int, dict[str, Any]]:
        b = services.book_slot(actor=signed_in(request), person=person, slot=slot)
        b = CheckupBooking.objects.select_related("person", "district").get(pk=b.pk)
        return 201, _booking(b)

    try:
        status, body = run_idempotent(
            user=request.user, key=idempotency_key, endpoint="trips.checkups.book", payload=payload.dict(), work=work
        )
    except IdempotencyError as exc:
        raise HttpError(422, exc.message) from exc
    except DomainError as exc:
        raise HttpError(409, exc.message) from exc
    return Status(status, body)
