"""trips.journeys travel lists under real concurrency (PostgreSQL, one connection per thread)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import DomainError
from core.idnumber import check_char
from tests.cast import build_cast
from tests.concurrency import race
from trips.journeys import travel
from trips.models import Batch, BatchQuota, Companion, Nomination, NominationStatus, TripRoute

pytestmark = pytest.mark.postgres


def test_two_companions_at_once_over_the_limit_one_wins(transactional_db: None) -> None:
    cast = build_cast()
    route = TripRoute.objects.create(name="舟山线", destination="舟山", days=5, cost_per_day=300)
    b = Batch.objects.create(
        route=route, name="家属并发", start_date=dt.date(2031, 7, 1), end_date=dt.date(2031, 7, 5), capacity=5
    )
    BatchQuota.objects.create(batch=b, district=cast.region_a, places=5)
    n = Nomination.objects.create(
        batch=b, person=cast.person_a, district=cast.region_a, status=NominationStatus.ACCEPTED, rank=1
    )
    numbers = [f"330212{birth}024" for birth in ("19700315", "19720101")]
    numbers = [x + check_char(x) for x in numbers]
    results = race(
        2,
        lambda i: travel.add_companion(
            actor=None,
            nomination=n,
            name=f"家属{i}",
            relation="child",
            id_number=numbers[i],
            mobile="13905741234",
            paid="100",
        ),
    )
    assert sorted(type(r).__name__ for r in results) == ["Companion", "DomainError"]
    assert all(r.message == "每位劳模最多可带 1 名随行家属。" for r in results if isinstance(r, DomainError))
    assert Companion.objects.filter(nomination=n).count() == 1
