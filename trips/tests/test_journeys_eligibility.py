"""trips.journeys (triprules): eligibility as data, front-line ordering, caps, costs, incidents, feedback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from people.models import Person
from trips.journeys import rules, selectors, services
from trips.models import (
    Batch,
    BatchQuota,
    Nomination,
    NominationStatus,
    TravelHistory,
    TripFeedback,
    TripRoute,
    TripRules,
)


def _people(cast: Any, n: int, **fields: Any) -> list[Person]:
    Person.objects.filter(district=cast.region_a).update(status="moved_away")
    made = []
    for i in range(n):
        p = Person.objects.get(pk=cast.person_a.pk)
        p.pk = None
        p.user = None
        p.id_number_hash = None
        p.name = f"规则{i}"
        p.status = "working"
        p.birth_date = dt.date(1960 + i, 1, 1)
        for k, v in fields.items():
            setattr(p, k, v)
        p.save()
        made.append(p)
    return made


def _file(p: Person, **fields: Any) -> None:
    """The travel file lives on the person's TravelHistory row."""
    TravelHistory.objects.update_or_create(person=p, defaults={"district_id": p.district_id, **fields})


def _ids(year: int = 2031) -> list[int]:
    return [r.person.pk for r in selectors.priority_list(district=_region_a(), year=year)]


_REGION: dict[str, Any] = {}


def _region_a() -> Any:
    return _REGION["a"]


@pytest.fixture(autouse=True)
def _remember(cast: Any) -> None:
    _REGION["a"] = cast.region_a


@pytest.mark.django_db
def test_default_row_is_todays_behaviour(cast: Any) -> None:
    a, b, c = _people(cast, 3)
    TravelHistory.objects.create(person=b, district=cast.region_a, last_trip_year=2031, trips=1)
    assert rules.rules_for(2031).pk is None
    assert _ids() == [a.pk, c.pk]  # this year's traveller left off, older first
    TripRules.objects.create(gap_years=0)
    assert set(_ids()) == {a.pk, b.pk, c.pk}


@pytest.mark.django_db
def test_year_row_beats_default_row(cast: Any) -> None:
    _people(cast, 2)
    TripRules.objects.create(max_age=10)
    TripRules.objects.create(year=2031)
    assert len(_ids(2031)) == 2
    assert _ids(2030) == []


@pytest.mark.django_db
def test_gap_years_levels_statuses_ages(cast: Any) -> None:
    a, b, c, d = _people(cast, 4)  # born 1960..1963: 71..68 in 2031
    TravelHistory.objects.create(person=a, district=cast.region_a, last_trip_year=2029, trips=1)
    Person.objects.filter(pk=b.pk).update(status="retired")
    Person.objects.filter(pk=c.pk).update(top_level="national")
    _file(d, front_line=True)
    row = TripRules.objects.create(gap_years=3)
    assert a.pk not in _ids()
    row.gap_years = 2  # 2030 and 2031
    row.save()
    assert a.pk in _ids()
    row.statuses = ["front_line"]
    row.save()
    assert _ids() == [d.pk]
    row.statuses = ["working", "retired"]
    row.save()
    assert set(_ids()) == {a.pk, b.pk, c.pk}
    row.statuses = ["front_line", "working", "retired"]
    row.levels = ["national"]
    row.save()
    assert _ids() == [c.pk]
    row.levels = []
    row.min_age, row.max_age = 69, 70
    row.save()
    assert set(_ids()) == {b.pk, c.pk}


@pytest.mark.django_db
def test_health_restriction_warns_or_excludes(cast: Any) -> None:
    a, b = _people(cast, 2)
    _file(a, health_restricted=True, health_note="心脏支架术后")
    listed = selectors.priority_list(district=cast.region_a, year=2031)
    assert [r.person.pk for r in listed] == [a.pk, b.pk]
    assert "心脏支架术后" in listed[0].reason and listed[0].health_note == "心脏支架术后"
    TripRules.objects.create(health="exclude")
    assert _ids() == [b.pk]


@pytest.mark.django_db
def test_front_line_before_others_then_older(cast: Any) -> None:
    older, younger_front, never = _people(cast, 3)
    for p in (older, younger_front):
        TravelHistory.objects.create(person=p, district=cast.region_a, last_trip_year=2020, trips=1)
    _file(younger_front, front_line=True)
    rows = selectors.priority_list(district=cast.region_a, year=2031)
    assert [r.person.pk for r in rows] == [never.pk, younger_front.pk, older.pk]
    assert "一线" in rows[1].reason and "一线" not in rows[2].reason
    # Front-line counts only while working.
    Person.objects.filter(pk=younger_front.pk).update(status="retired")
    assert _ids() == [never.pk, older.pk, younger_front.pk]


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.lists(
        st.tuples(st.one_of(st.none(), st.integers(2020, 2030)), st.booleans(), st.integers(1950, 1970)),
        min_size=2,
        max_size=6,
    )
)
def test_order_is_never_then_years_then_front_line_then_age(cast: Any, people: list[Any]) -> None:
    """Front-line never puts anyone sent more recently ahead, and among equals front-line comes first."""
    made = _people(cast, len(people))
    for p, (year, front, born) in zip(made, people, strict=True):
        Person.objects.filter(pk=p.pk).update(birth_date=dt.date(born, 6, 1))
        if year is not None:
            TravelHistory.objects.create(person=p, district=cast.region_a, last_trip_year=year, trips=1)
        _file(p, front_line=front)
    facts = {p.pk: f for p, f in zip(made, people, strict=True)}
    keys = [
        (facts[r.person.pk][0] or 0, not facts[r.person.pk][1], facts[r.person.pk][2])
        for r in selectors.priority_list(district=cast.region_a, year=2031)
    ]
    assert keys == sorted(keys)
    Person.objects.filter(pk__in=[p.pk for p in made]).delete()


def _batch(cast: Any, start: dt.date = dt.date(2031, 5, 1), days: int = 5, cost: int = 300) -> Batch:
    route, _c = TripRoute.objects.get_or_create(
        name=f"象山线{cost}", defaults={"destination": "象山", "days": days, "cost_per_day": cost}
    )
    b = Batch.objects.create(
        route=route, name=f"{start}批", start_date=start, end_date=start + dt.timedelta(days=days - 1), capacity=10
    )
    BatchQuota.objects.create(batch=b, district=cast.region_a, places=5)
    return b


@pytest.mark.django_db
def test_twice_a_year_only_when_the_rules_allow(cast: Any) -> None:
    b1 = _batch(cast, dt.date(2031, 5, 1))
    b2 = _batch(cast, dt.date(2031, 9, 1))
    n1 = Nomination.objects.create(batch=b1, person=cast.person_a, district=cast.region_a, status="invited", rank=1)
    n2 = Nomination.objects.create(batch=b2, person=cast.person_a, district=cast.region_a, status="invited", rank=1)
    services.answer_nomination(actor=cast.district_a, nomination=n1, accept=True)
    with pytest.raises(DomainError, match="今年已参加"):
        services.answer_nomination(actor=cast.district_a, nomination=n2, accept=True)
    row = TripRules.objects.create(year=2031, twice_a_year=True, gap_years=0, cap_per_year=Decimal("2999"))
    with pytest.raises(DomainError, match="超过每人每年上限"):  # 2 x 1,500
        services.answer_nomination(actor=cast.district_a, nomination=n2, accept=True)
    row.cap_per_year = Decimal("3000")
    row.save()
    services.answer_nomination(actor=cast.district_a, nomination=n2, accept=True)
    assert Nomination.objects.get(pk=n2.pk).status == NominationStatus.ACCEPTED


@pytest.mark.django_db
def test_cap_check_and_spend_summary(cast: Any) -> None:
    b = _batch(cast, days=5, cost=320)  # 1,600 per person
    assert rules.cap_check(b).warnings == []
    TripRules.objects.create(cap_per_day=Decimal("300"), cap_per_year=Decimal("1500"))
    check = rules.cap_check(b)
    assert check.per_person == Decimal("1600.00") and check.cap_batch == Decimal("1500.00")
    assert len(check.warnings) == 2
    for i, p in enumerate(_people(cast, 3)):
        Nomination.objects.create(batch=b, person=p, district=cast.region_a, status="accepted", rank=i + 1)
    rules.add_cost(actor=cast.city, batch=b, item="lodging", amount=Decimal("3000.10"))
    rules.add_cost(actor=cast.city, batch=b, item="meals", amount=Decimal("1500.00"))
    with pytest.raises(DomainError, match="分"):
        rules.add_cost(actor=cast.city, batch=b, item="other", amount=Decimal("1.001"))
    with pytest.raises(DomainError):
        rules.add_cost(actor=cast.city, batch=b, item="other", amount=Decimal("0"))
    s = rules.spend_summary(b)
    assert s.travellers == 3 and s.total == Decimal("4500.10")
    assert s.per_person == Decimal("1500.03") and s.cap_total == Decimal("4500.00") and s.over
    assert dict(s.by_item)["住宿"] == Decimal("3000.10")


@pytest.mark.django_db
def test_incident_needs_what_and_a_traveller_of_the_batch(cast: Any) -> None:
    b = _batch(cast)
    other = _batch(cast, dt.date(2031, 9, 1))
    n = Nomination.objects.create(batch=other, person=cast.person_a, district=cast.region_a, status="accepted", rank=1)
    at = dt.datetime(2031, 5, 2, 10, tzinfo=dt.UTC)
    with pytest.raises(DomainError, match="经过"):
        rules.record_incident(actor=cast.city, batch=b, occurred_at=at, what=" ")
    with pytest.raises(DomainError, match="本批次"):
        rules.record_incident(actor=cast.city, batch=b, occurred_at=at, what="崴脚", nomination=n)
    with pytest.raises(DomainError, match="发生时间"):
        rules.record_incident(actor=cast.city, batch=b, occurred_at=at.replace(month=8), what="崴脚")
    inc = rules.record_incident(actor=cast.city, batch=b, occurred_at=at, what="大巴晚点一小时", action="已调车")
    assert inc.district_id is None


@pytest.mark.django_db
def test_feedback_once_editable_for_30_days(cast: Any) -> None:
    b = _batch(cast)  # ends 2031-05-05
    n = Nomination.objects.create(batch=b, person=cast.person_a, district=cast.region_a, status="accepted", rank=1)
    with pytest.raises(DomainError, match="结束"):
        rules.save_feedback(actor=cast.worker_a, nomination=n, rating=5, comment="", today=dt.date(2031, 5, 4))
    rules.save_feedback(actor=cast.worker_a, nomination=n, rating=4, comment="很好", today=dt.date(2031, 5, 5))
    rules.save_feedback(actor=cast.worker_a, nomination=n, rating=5, comment="非常好", today=dt.date(2031, 6, 4))
    assert TripFeedback.objects.get(nomination=n).rating == 5
    assert TripFeedback.objects.count() == 1
    with pytest.raises(DomainError, match="30"):
        rules.save_feedback(actor=cast.worker_a, nomination=n, rating=3, comment="", today=dt.date(2031, 6, 5))
    with pytest.raises(DomainError, match="1 到 5"):
        rules.save_feedback(actor=cast.worker_a, nomination=n, rating=6, comment="", today=dt.date(2031, 5, 6))


@pytest.mark.django_db
def test_merge_keeps_the_travel_file_flags(cast: Any) -> None:
    from trips.journeys import hooks  # noqa: PLC0415 - the hook under test

    keep, dup = _people(cast, 2)
    _file(keep, last_trip_year=2020, trips=1)
    _file(dup, last_trip_year=2024, trips=2, front_line=True, health_restricted=True, health_note="哮喘")
    hooks.on_person_merged(keep=keep, duplicate=dup, actor=None)
    h = TravelHistory.objects.get(person=keep)
    assert (h.last_trip_year, h.trips, h.front_line, h.health_restricted, h.health_note) == (
        2024,
        3,
        True,
        True,
        "哮喘",
    )
    assert not TravelHistory.objects.filter(person=dup).exists()
