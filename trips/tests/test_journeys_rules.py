"""trips.journeys: quotas, the priority list, answers and the waitlist."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from people.models import Person
from trips.journeys import demo, selectors, services
from trips.models import Batch, BatchQuota, Nomination, NominationStatus, TravelHistory, TripRoute


@given(capacity=st.integers(0, 500), counts=st.lists(st.integers(0, 10_000), min_size=1, max_size=12))
def test_largest_remainder_adds_up(capacity: int, counts: list[int]) -> None:
    result = services.split_quotas(capacity, dict(enumerate(counts)))
    if sum(counts):
        assert sum(result.values()) == capacity
        total = sum(counts)
        for k, v in enumerate(counts):
            assert abs(result[k] - capacity * v / total) < 1
    else:
        assert sum(result.values()) == 0


def test_largest_remainder_example() -> None:
    assert services.split_quotas(10, {1: 5, 2: 3, 3: 2, 4: 1}) == {1: 4, 2: 3, 3: 2, 4: 1}


def _batch(cast: Any, places: int = 1) -> Batch:
    route = TripRoute.objects.create(name="象山线", destination="象山", days=5, cost_per_day=300)
    b = Batch.objects.create(
        route=route, name="2031第1批", start_date=dt.date(2031, 5, 1), end_date=dt.date(2031, 5, 5), capacity=10
    )
    BatchQuota.objects.create(batch=b, district=cast.region_a, places=places)
    return b


def _people(cast: Any, n: int) -> list[Person]:
    base = cast.person_a
    made = []
    for i in range(n):
        p = Person.objects.get(pk=base.pk)
        p.pk = None
        p.user = None
        p.id_number_hash = None
        p.name = f"测试{i}"
        p.status = "working"
        p.birth_date = dt.date(1960 + i, 1, 1)
        p.save()
        made.append(p)
    return made


@pytest.mark.django_db
def test_priority_reasons_and_order(cast: Any) -> None:
    Person.objects.filter(district=cast.region_a).update(status="moved_away")
    never, old, recent = _people(cast, 3)
    TravelHistory.objects.create(person=old, district=cast.region_a, last_trip_year=2015, trips=1)
    TravelHistory.objects.create(person=recent, district=cast.region_a, last_trip_year=2025, trips=1)
    rows = selectors.priority_list(district=cast.region_a, year=2031)
    assert [r.person.pk for r in rows] == [never.pk, old.pk, recent.pk]
    assert "从未" in rows[0].reason and "2015" in rows[1].reason


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(years=st.lists(st.integers(2000, 2030), min_size=2, max_size=6))
def test_never_puts_more_recent_ahead(cast: Any, years: list[int]) -> None:
    Person.objects.filter(district=cast.region_a).update(status="moved_away")
    people = _people(cast, len(years))
    Person.objects.filter(pk__in=[p.pk for p in people]).update(birth_date=dt.date(1960, 1, 1))
    for p, y in zip(people, years, strict=True):
        TravelHistory.objects.create(person=p, district=cast.region_a, last_trip_year=y, trips=1)
    order = [r.last_trip_year or 0 for r in selectors.priority_list(district=cast.region_a, year=2031)]
    assert order == sorted(order)
    Person.objects.filter(pk__in=[p.pk for p in people]).delete()


@pytest.mark.django_db
def test_decline_passes_place_to_waitlist_and_quota_holds(cast: Any) -> None:
    Person.objects.filter(district=cast.region_a).update(status="moved_away")
    _people(cast, 4)
    b = _batch(cast, places=1)
    assert services.nominate_district(actor=cast.district_a, batch=b, district=cast.region_a) == 4
    first = Nomination.objects.get(batch=b, rank=1)
    assert first.status == NominationStatus.INVITED
    with pytest.raises(DomainError):
        services.answer_nomination(actor=cast.district_a, nomination=first, accept=False, reason=" ")
    services.answer_nomination(actor=cast.district_a, nomination=first, accept=False, reason="家中有事")
    second = Nomination.objects.get(batch=b, rank=2)
    assert second.status == NominationStatus.INVITED
    services.answer_nomination(actor=cast.district_a, nomination=second, accept=True)
    assert TravelHistory.objects.get(person=second.person).last_trip_year == 2031
    # The quota is full: a forced second invitation cannot be accepted.
    third = Nomination.objects.get(batch=b, rank=3)
    Nomination.objects.filter(pk=third.pk).update(status=NominationStatus.INVITED)
    with pytest.raises(DomainError, match="名额已满"):
        services.answer_nomination(actor=cast.district_a, nomination=third, accept=True)


@pytest.mark.django_db
def test_phone_answer(cast: Any, client_for: Any) -> None:
    b = _batch(cast, places=1)
    n = Nomination.objects.create(batch=b, person=cast.person_a, district=cast.region_a, status="invited", rank=1)
    c = client_for("worker_a")
    assert "我的疗休养" in c.get("/trips/my/").content.decode()
    c.post(f"/trips/my/{n.pk}/answer/", {"answer": "yes"})
    n.refresh_from_db()
    assert n.status == NominationStatus.ACCEPTED


@pytest.mark.django_db
def test_demo_builds(cast: Any) -> None:
    demo.build(size=1, seed=1, stdout=io.StringIO())
    assert TripRoute.objects.filter(destination="徐州").exists()
    assert Batch.objects.filter(start_date__year=2021).count() == 5
