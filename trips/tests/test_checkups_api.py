"""trips.checkups: the API (scoped, Idempotency-Key on booking) and the to-do items."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from core.todo import todo_for
from trips.checkups import services
from trips.tests import checkups_factories as f

pytestmark = pytest.mark.django_db


def _book(client, person, slot, key):
    return client.post(
        reverse("api:checkups_api_book"),
        data=json.dumps({"person": person.pk, "slot": slot.pk}),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def test_booking_once_per_key_and_full_slot_is_409(cast, client_for):
    slot = f.slot(1)
    city = client_for("city")
    first = _book(city, cast.person_a, slot, "k1")
    assert first.status_code == 201
    again = _book(city, cast.person_a, slot, "k1")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    slot.refresh_from_db()
    assert slot.taken == 1
    full = _book(city, cast.person_b, slot, "k2")
    assert full.status_code == 409 and "约满" in full.json()["detail"]
    assert _book(city, cast.person_b, slot, "").status_code == 422


def test_district_cannot_book_outside_its_district(cast, client_for):
    slot = f.slot(3)
    assert _book(client_for("district_b"), cast.person_a, slot, "x").status_code == 404
    listed = client_for("district_b").get(reverse("api:checkups_api_bookings", args=[slot.campaign_id])).json()
    assert listed == []


def test_recheck_is_a_todo_and_a_message(cast):
    b = f.attended(cast)
    services.set_result(actor=cast.city, booking=b, result="recheck")
    labels = {i.label: i.count for i in todo_for(cast.district_a)}
    assert labels.get("体检需复查，待跟进") == 1
    assert cast.district_a.notifications.filter(subject__contains="需复查").exists()
