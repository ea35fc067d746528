"""trips.journeys: the last place of a district under real concurrency (PostgreSQL, one connection per thread)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.errors import DomainError
from tests.cast import build_cast
from tests.concurrency import race
from trips.journeys import services
from trips.models import Batch, BatchQuota, Nomination, NominationStatus, TripRoute

pytestmark = pytest.mark.postgres


@pytest.fixture
def tcast(transactional_db: None) -> Any:
    return build_cast()


def test_two_acceptances_for_the_last_place_one_wins(tcast: Any) -> None:
    route = TripRoute.objects.create(name="象山线", destination="象山", days=5, cost_per_day=300)
    b = Batch.objects.create(
        route=route, name="并发批次", start_date=dt.date(2031, 5, 1), end_date=dt.date(2031, 5, 5), capacity=1
    )
    BatchQuota.objects.create(batch=b, district=tcast.region_a, places=1)
    noms = [
        Nomination.objects.create(batch=b, person=p, district=tcast.region_a, status=NominationStatus.INVITED, rank=i)
        for i, p in enumerate((tcast.person_a, tcast.person_b), start=1)
    ]
    results = race(2, lambda i: services.answer_nomination(actor=None, nomination=noms[i], accept=True))
    assert sorted(type(r).__name__ for r in results) == ["DomainError", "Nomination"]
    assert all(r.message == "本区县名额已满。" for r in results if isinstance(r, DomainError))
    assert Nomination.objects.filter(batch=b, status=NominationStatus.ACCEPTED).count() == 1


def test_two_moves_of_the_same_places_one_wins(tcast: Any) -> None:
    route = TripRoute.objects.create(name="丽水线", destination="丽水", days=5, cost_per_day=300)
    b = Batch.objects.create(
        route=route, name="调剂批次", start_date=dt.date(2031, 6, 1), end_date=dt.date(2031, 6, 5), capacity=10
    )
    BatchQuota.objects.create(batch=b, district=tcast.region_a, places=6)
    BatchQuota.objects.create(batch=b, district=tcast.region_b, places=4)
    results = race(
        2,
        lambda i: services.move_places(actor=None, batch=b, source=tcast.region_a, target=tcast.region_b, places=4),
    )
    assert sum(isinstance(r, DomainError) for r in results) == 1
    got = dict(BatchQuota.objects.filter(batch=b).values_list("district_id", "places"))
    assert got == {tcast.region_a.pk: 2, tcast.region_b.pk: 8}
