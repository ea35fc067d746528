"""trips.journeys API: batches, scoped nominations, answers once per Idempotency-Key."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from trips.models import Batch, BatchQuota, Nomination, NominationStatus, TripRoute

pytestmark = pytest.mark.django_db


def _nomination(cast: Any, district: Any = None, person: Any = None) -> Nomination:
    route, _c = TripRoute.objects.get_or_create(
        name="徐州线", defaults={"destination": "徐州", "days": 5, "cost_per_day": 300}
    )
    b = Batch.objects.create(
        route=route, name="API批", start_date=dt.date(2031, 5, 1), end_date=dt.date(2031, 5, 5), capacity=10
    )
    BatchQuota.objects.create(batch=b, district=district or cast.region_a, places=1)
    return Nomination.objects.create(
        batch=b,
        person=person or cast.person_a,
        district=district or cast.region_a,
        status=NominationStatus.INVITED,
        rank=1,
    )


def test_batches_and_scoped_nominations(cast: Any, client_for: Any) -> None:
    mine = _nomination(cast)
    other = _nomination(cast, district=cast.region_b, person=cast.person_b)
    got = client_for("district_a").get("/api/trips/batches/").json()
    assert {b["name"] for b in got} == {"API批"}
    ids = {n["id"] for n in client_for("district_a").get("/api/trips/nominations/").json()}
    assert mine.pk in ids and other.pk not in ids
    ids = {n["id"] for n in client_for("city").get(f"/api/trips/nominations/?batch={other.batch_id}").json()}
    assert ids == {other.pk}


def test_answer_once_per_key(cast: Any, client_for: Any) -> None:
    n = _nomination(cast)
    c = client_for("district_a")
    url = f"/api/trips/nominations/{n.pk}/answer/"
    r = c.post(url, {"accept": True}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    again = c.post(url, {"accept": True}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 200 and again.json()["status"] == "accepted"  # replayed, not refused
    # A new key: refused (already answered) as 409 with the clerk's message.
    r = c.post(url, {"accept": True}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k2")
    assert r.status_code == 409 and "答复过" in r.json()["detail"]
    assert c.post(url, {"accept": True}, content_type="application/json").status_code == 422
    # Another district: 404.
    assert (
        client_for("district_b")
        .post(url, {"accept": True}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k3")
        .status_code
        == 404
    )


def test_roster_xlsx_scoped_and_masked(cast: Any, client_for: Any) -> None:
    n = _nomination(cast)
    Nomination.objects.filter(pk=n.pk).update(status=NominationStatus.ACCEPTED)
    r = client_for("district_a").get(f"/trips/batches/{n.batch_id}/roster.xlsx")
    assert r.status_code == 200
    cells = [c for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True) for c in row]
    assert cast.person_a.name in cells
    if cast.person_a.mobile:
        assert cast.person_a.mobile not in cells
    r = client_for("district_b").get(f"/trips/batches/{n.batch_id}/roster.xlsx")
    cells = [c for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True) for c in row]
    assert cast.person_a.name not in cells
