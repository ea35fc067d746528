"""Incidents: proposal ranking, sending a call-out (one message each, background above a threshold),
answering once, withdrawn call-outs, scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import Job, Notification, Region
from people.models import Trade
from people.services import create_person, set_skill
from tests.cast import login
from volunteering.incidents import services
from volunteering.incidents.proposal import propose
from volunteering.models import Answer, CallOutAnswer, Need, Specialty
from volunteering.teams import services as team_services

pytestmark = pytest.mark.django_db


def _person(region: Any, name: str, trade: str = "01", grade: str = "3", mobile: str = "") -> Any:
    p = create_person(actor=None, region=region, name=name, status="working", gender="M", mobile=mobile)
    set_skill(actor=None, person=p, trade=Trade.objects.get(code=trade), grade=grade, specialties="")
    return p


@pytest.fixture
def setup(cast: Any) -> dict[str, Any]:
    a, b = cast.region_a, cast.region_b
    street = Region.objects.filter(parent=a, kind="street").first()
    electric = Specialty.objects.get(code="electric")
    people = {
        "far": _person(b, "电工远", grade="1", mobile="13800000001"),
        "district": _person(a, "电工近", grade="3", mobile="13800000002"),
        "cook": _person(a, "厨师", trade="23"),
    }
    if street is not None:
        people["local"] = _person(street, "电工街", grade="4", mobile="13800000003")
    incident = services.open_incident(
        actor=cast.city, title="台风烟花", kind="typhoon", started=timezone.now(), areas=[a, b]
    )
    need = services.create_need(
        actor=cast.city,
        incident=incident,
        region=street or a,
        place="某电机厂",
        specialty=electric,
        people_needed=5,
        urgency="urgent",
    )
    return {"people": people, "incident": incident, "need": need, "street": street, "electric": electric}


def test_proposal_by_specialty_and_area_with_reasons(cast: Any, setup: dict[str, Any]) -> None:
    ranked = propose(setup["need"], limit=10)
    names = [p.person.name for p in ranked]
    assert "厨师" not in names
    expected = (["电工街"] if setup["street"] else []) + ["电工近", "电工远"]
    assert names == expected
    first = ranked[0]
    assert any("专业对口" in r for r in first.reasons)
    assert any("同一" in r for r in first.reasons)
    assert "当前空闲" in first.reasons


def test_team_member_ranks_higher(cast: Any, setup: dict[str, Any]) -> None:
    team = team_services.create_team(
        actor=cast.city, name="海曙电工队", specialty=setup["electric"], district=cast.region_b
    )
    team_services.add_member(actor=cast.city, team=team, person=setup["people"]["far"], joined=dt.date(2024, 1, 1))
    ranked = propose(setup["need"], limit=10)
    far = next(p for p in ranked if p.person.name == "电工远")
    assert far.in_team and any("服务队队员" in r for r in far.reasons)


def test_callout_notifies_each_once_and_answer_recorded_once(cast: Any, setup: dict[str, Any]) -> None:
    ids = [p.person.pk for p in propose(setup["need"], limit=10)]
    callout = services.send_callout(actor=cast.city, need=setup["need"], person_ids=ids + ids[:1])
    assert callout.total == len(ids)
    assert Notification.objects.filter(related_id=str(callout.pk), channel="sms").count() == len(ids)
    callout.refresh_from_db()
    assert callout.status == "sent" and callout.notified == len(ids)
    row = CallOutAnswer.objects.get(callout=callout, person=setup["people"]["district"])
    assert row.reasons
    row2, recorded = services.answer_callout(actor=None, row=row, answer=Answer.YES)
    assert recorded and row2.answer == Answer.YES
    row3, recorded = services.answer_callout(actor=None, row=row, answer=Answer.NO, reason="生病")
    assert not recorded and row3.answer == Answer.YES
    # The called person is now loaded: proposed with a load for the next need.
    assert propose(setup["need"], limit=10) == [] or all(p.person.pk not in ids for p in propose(setup["need"]))


def test_withdrawn_callout_refuses_answers(cast: Any, setup: dict[str, Any]) -> None:
    person = setup["people"]["district"]
    callout = services.send_callout(actor=cast.city, need=setup["need"], person_ids=[person.pk])
    services.withdraw_callout(actor=cast.city, callout=callout, reason="已解决")
    row = CallOutAnswer.objects.get(callout=callout)
    with pytest.raises(DomainError, match="撤回"):
        services.answer_callout(actor=None, row=row, answer=Answer.YES)
    row.refresh_from_db()
    assert row.answer == Answer.PENDING


def test_large_callout_is_a_background_job(cast: Any, setup: dict[str, Any], settings: Any) -> None:
    services_threshold = services.BACKGROUND_THRESHOLD
    services.BACKGROUND_THRESHOLD = 1
    try:
        ids = [p.person.pk for p in propose(setup["need"], limit=10)]
        callout = services.send_callout(actor=cast.city, need=setup["need"], person_ids=ids)
    finally:
        services.BACKGROUND_THRESHOLD = services_threshold
    assert callout.job is not None
    assert Job.objects.filter(pk=callout.job.pk, kind="volunteering.callout").exists()


def test_district_staff_scope_and_refusals(cast: Any, setup: dict[str, Any]) -> None:
    need = setup["need"]
    assert Need.objects.visible_to(cast.district_a).filter(pk=need.pk).exists()
    assert not Need.objects.visible_to(cast.district_b).filter(pk=need.pk).exists()
    with pytest.raises(DomainError):
        services.send_callout(actor=cast.district_b, need=need, person_ids=[setup["people"]["far"].pk])
    with pytest.raises(DomainError, match="至少"):
        services.send_callout(actor=cast.city, need=need, person_ids=[])
    with pytest.raises(DomainError, match="市级"):
        services.open_incident(
            actor=cast.district_a, title="x", kind="flood", started=timezone.now(), areas=[cast.region_a]
        )


def test_phone_answer_in_one_tap(cast: Any, setup: dict[str, Any], client: Any) -> None:
    callout = services.send_callout(actor=cast.city, need=setup["need"], person_ids=[cast.person_a.pk])
    row = CallOutAnswer.objects.get(callout=callout)
    c = login(client, cast.worker_a)
    page = c.get(reverse("volunteering:my_callouts"))
    assert "可以去" in page.content.decode()
    c.post(reverse("volunteering:my_callout_answer", args=[row.pk]), {"answer": "yes"})
    c.post(reverse("volunteering:my_callout_answer", args=[row.pk]), {"answer": "no"})
    row.refresh_from_db()
    assert row.answer == Answer.YES
    other = login(client.__class__(), cast.worker_b)
    assert other.post(reverse("volunteering:my_callout_answer", args=[row.pk]), {"answer": "no"}).status_code == 404


def test_staff_page_proposes_and_sends(cast: Any, setup: dict[str, Any], client: Any) -> None:
    c = login(client, cast.district_a)
    need = setup["need"]
    page = c.get(reverse("volunteering:need_propose", args=[need.pk])).content.decode()
    assert "电工近" in page and "专业对口" in page and "厨师" not in page
    ids = [str(setup["people"]["district"].pk), str(setup["people"]["far"].pk)]
    response = c.post(reverse("volunteering:need_propose", args=[need.pk]), {"person": ids, "message": "带万用表"})
    assert response.status_code == 302
    assert CallOutAnswer.objects.filter(callout__need=need).count() == 2
    detail = c.get(reverse("volunteering:incident_detail", args=[need.incident_id])).content.decode()
    assert "一键召集" in detail
    assert (
        login(client.__class__(), cast.district_b).get(reverse("volunteering:need_propose", args=[need.pk])).status_code
        == 404
    )


def test_api_callout_and_answer_idempotent(cast: Any, setup: dict[str, Any], client: Any) -> None:
    need = setup["need"]
    staff = login(client, cast.city)
    ranked = staff.get(f"/api/volunteering/needs/{need.pk}/proposal?limit=5").json()
    assert ranked and ranked[0]["reasons"]
    body = {"person_ids": [cast.person_a.pk]}
    first = staff.post(
        f"/api/volunteering/needs/{need.pk}/callouts", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    again = staff.post(
        f"/api/volunteering/needs/{need.pk}/callouts", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert first.status_code == 200 and again.json()["id"] == first.json()["id"]
    row = CallOutAnswer.objects.get(callout_id=first.json()["id"])
    worker = login(client.__class__(), cast.worker_a)
    answered = worker.post(
        f"/api/volunteering/answers/{row.pk}",
        {"answer": "yes"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="a1",
    )
    assert answered.json()["recorded"] is True
    twice = worker.post(
        f"/api/volunteering/answers/{row.pk}",
        {"answer": "no"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="a2",
    )
    assert twice.json()["recorded"] is False and twice.json()["answer"] == "yes"
