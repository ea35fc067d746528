"""Operations: dispatch only people who said 可以去 and are not on another task; check-in/out with
results; equipment never lent beyond the count held; closing refused while people are on site;
figures from the records; scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import Notification
from people.models import Trade
from people.services import create_person, set_skill
from tests.cast import login
from volunteering.incidents import services as inc
from volunteering.models import Answer, CallOutAnswer, Dispatch, EquipmentItem, IncidentStatus, Specialty
from volunteering.operations import selectors, services

pytestmark = pytest.mark.django_db


def _person(region: Any, name: str) -> Any:
    p = create_person(actor=None, region=region, name=name, status="working", gender="M")
    set_skill(actor=None, person=p, trade=Trade.objects.get(code="01"), grade="3", specialties="")
    return p


def _answer(callout: Any, person: Any, answer: str) -> None:
    CallOutAnswer.objects.filter(callout=callout, person=person).update(answer=answer, answered_at=timezone.now())


@pytest.fixture
def s(cast: Any) -> dict[str, Any]:
    a = cast.region_a
    electric = Specialty.objects.get(code="electric")
    incident = inc.open_incident(actor=cast.city, title="台风烟花", kind="typhoon", started=timezone.now(), areas=[a])
    need = inc.create_need(
        actor=cast.city,
        incident=incident,
        region=a,
        place="某电机厂",
        enterprise="某电机厂",
        specialty=electric,
        people_needed=5,
        urgency="urgent",
    )
    need2 = inc.create_need(
        actor=cast.city,
        incident=incident,
        region=a,
        place="某纺织厂",
        enterprise="某纺织厂",
        specialty=electric,
        people_needed=1,
    )
    yes, no = _person(a, "电工甲"), _person(a, "电工乙")
    callout = inc.send_callout(actor=cast.city, need=need, person_ids=[yes.pk, no.pk])
    _answer(callout, yes, Answer.YES)
    _answer(callout, no, Answer.NO)
    return {"incident": incident, "need": need, "need2": need2, "yes": yes, "no": no}


def test_dispatch_only_yes_and_never_two_tasks(cast: Any, s: dict[str, Any]) -> None:
    with pytest.raises(DomainError, match="去不了"):
        services.dispatch_person(actor=cast.city, need=s["need"], person=s["no"])
    d = services.dispatch_person(actor=cast.city, need=s["need"], person=s["yes"])
    assert d.person.user_id is None or Notification.objects.filter(recipient=d.person.user).exists()
    with pytest.raises(DomainError, match="另一任务"):
        services.dispatch_person(actor=cast.city, need=s["need2"], person=s["yes"])
    assert Dispatch.objects.count() == 1
    # after the task ends the person may go again
    services.check_in(actor=cast.city, dispatch=d)
    services.check_out(actor=cast.city, dispatch=d, problems_solved=3, machines_repaired=10, people_served=40)
    services.dispatch_person(actor=cast.city, need=s["need2"], person=s["yes"])
    assert Dispatch.objects.count() == 2


def test_district_cannot_dispatch_outside(cast: Any, s: dict[str, Any]) -> None:
    with pytest.raises(DomainError):
        services.dispatch_person(actor=cast.district_b, need=s["need"], person=s["yes"])


def test_checkout_needs_checkin_and_results_count(cast: Any, s: dict[str, Any]) -> None:
    d = services.dispatch_person(actor=cast.city, need=s["need"], person=s["yes"])
    with pytest.raises(DomainError, match="签到"):
        services.check_out(actor=cast.city, dispatch=d)
    services.check_in(actor=cast.city, dispatch=d)
    with pytest.raises(DomainError, match="现场"):
        services.close_incident(actor=cast.city, incident=s["incident"])
    services.check_out(actor=cast.city, dispatch=d, problems_solved=3, machines_repaired=10, people_served=40)
    inc_ = s["incident"]
    assert selectors.craftsmen_count(inc_) == 1
    assert selectors.machines_repaired(inc_) == 10
    assert selectors.problems_solved(inc_) == 3
    assert selectors.people_served(inc_) == 40
    assert selectors.enterprises_helped(inc_) == 1
    closed = services.close_incident(actor=cast.city, incident=inc_)
    assert closed.status == IncidentStatus.CLOSED


def test_equipment_never_beyond_count(cast: Any, s: dict[str, Any]) -> None:
    pump = EquipmentItem.objects.create(
        name="排水泵", kind="pump", owner="鄞州区总工会", place="仓库", district=cast.region_a, count_held=3
    )
    loan = services.lend_equipment(actor=cast.city, item=pump, need=s["need"], count=2)
    with pytest.raises(DomainError, match="只剩 1"):
        services.lend_equipment(actor=cast.city, item=pump, need=s["need2"], count=2)
    pump.refresh_from_db()
    assert pump.count_out == 2
    assert selectors.board(s["incident"], cast.city)["equipment_out"] == 2
    services.return_equipment(actor=cast.city, loan=loan, count=2)
    pump.refresh_from_db()
    assert pump.count_out == 0
    assert selectors.equipment_sent(s["incident"]) == 2


def test_board_page_and_scope(cast: Any, s: dict[str, Any]) -> None:
    services.dispatch_person(actor=cast.city, need=s["need"], person=s["yes"])
    url = reverse("volunteering:operations_board", args=[s["incident"].pk])
    r = login(Client(), cast.city).get(url)
    assert r.status_code == 200
    assert "某电机厂" in r.content.decode() or "已派出" in r.content.decode()
    assert r.context["can_close"]  # city staff may close the incident from the board
    assert not login(Client(), cast.district_a).get(url).context["can_close"]
    r = login(Client(), cast.district_b).get(url)
    assert r.status_code == 404
