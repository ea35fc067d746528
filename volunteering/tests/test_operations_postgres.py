"""Two staff dispatching the last available electrician at once: one wins (PostgreSQL, row lock)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from core.errors import DomainError
from people.models import Trade
from people.services import create_person, set_skill
from tests.cast import build_cast
from tests.concurrency import race
from volunteering.incidents import services as inc
from volunteering.models import Answer, CallOut, CallOutAnswer, Dispatch, EquipmentItem, Specialty
from volunteering.operations import services

pytestmark = pytest.mark.postgres


@pytest.fixture
def tcast(transactional_db: None) -> Any:
    return build_cast()


def test_two_staff_dispatch_the_last_electrician_one_wins(tcast: Any) -> None:
    a = tcast.region_a
    incident = inc.open_incident(actor=None, title="台风", kind="typhoon", started=timezone.now(), areas=[a])
    electric = Specialty.objects.get(code="electric")
    needs = [
        inc.create_need(actor=None, incident=incident, region=a, place=f"厂{i}", specialty=electric, people_needed=1)
        for i in range(2)
    ]
    p = create_person(actor=None, region=a, name="最后的电工", status="working", gender="M")
    set_skill(actor=None, person=p, trade=Trade.objects.get(code="01"), grade="3", specialties="")
    # (made directly: incidents' send_callout locks Need with a nullable select_related, which
    # PostgreSQL refuses — reported to volcore)
    callout = CallOut.objects.create(incident=incident, need=needs[0], district=a, total=1)
    CallOutAnswer.objects.create(callout=callout, person=p, answer=Answer.YES)
    staff = [tcast.city, tcast.district_a]
    results = race(2, lambda i: services.dispatch_person(actor=staff[i], need=needs[i], person=p))
    assert sum(isinstance(r, Dispatch) for r in results) == 1
    assert sum(isinstance(r, DomainError) for r in results) == 1
    assert Dispatch.objects.filter(person=p).count() == 1


def test_lending_the_last_pumps_at_once_never_beyond_count(tcast: Any) -> None:
    a = tcast.region_a
    incident = inc.open_incident(actor=None, title="台风", kind="typhoon", started=timezone.now(), areas=[a])
    need = inc.create_need(
        actor=None, incident=incident, region=a, place="厂", specialty=None, equipment="水泵", equipment_count=3
    )
    pump = EquipmentItem.objects.create(name="水泵", kind="pump", owner="工会", place="仓库", district=a, count_held=3)
    results = race(4, lambda i: services.lend_equipment(actor=None, item=pump, need=need, count=2))
    assert sum(not isinstance(r, Exception) for r in results) == 1
    pump.refresh_from_db()
    assert pump.count_out == 2
