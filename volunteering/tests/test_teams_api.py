"""The teams API: teams and rosters (scoped), activities, and reporting one with an Idempotency-Key."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from volunteering.models import Activity, ActivityHours, ActivityStatus, Specialty
from volunteering.teams import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(cast: Any) -> dict[str, Any]:
    electric = Specialty.objects.get(code="electric")
    a = services.create_team(actor=None, name="鄞州电工服务队", specialty=electric, district=cast.region_a)
    b = services.create_team(actor=None, name="海曙电工服务队", specialty=electric, district=cast.region_b)
    member = services.add_member(actor=None, team=a, person=cast.person_a, joined=dt.date(2024, 1, 1))
    services.add_member(actor=None, team=b, person=cast.person_b, joined=dt.date(2023, 5, 1))
    return {"a": a, "b": b, "member": member}


def _post(client: Client, team: Any, body: dict[str, Any], key: str = "k1") -> Any:
    return client.post(
        reverse("api:volunteering_team_activity_report", args=[team.pk]),
        data=json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def _body(cast: Any, **extra: Any) -> dict[str, Any]:
    return {
        "date": "2025-07-25",
        "region_id": cast.region_a.pk,
        "place": "某电机厂",
        "work_done": "抢修受淹电机",
        "machines_repaired": 10,
        "people_served": 120,
        "hours": [{"person_id": cast.person_a.pk, "hours": 6.5}],
    } | extra


def test_list_and_roster_are_scoped(cast: Any, teams: dict[str, Any], client_for: Any) -> None:
    district_a = client_for("district_a")
    rows = district_a.get(reverse("api:volunteering_teams")).json()
    assert [r["name"] for r in rows] == ["鄞州电工服务队"]
    assert rows[0]["members"] == 1 and rows[0]["specialty"] == "电工"
    city = client_for("city").get(reverse("api:volunteering_teams"), {"district": cast.region_b.pk}).json()
    assert [r["name"] for r in city] == ["海曙电工服务队"]
    detail = district_a.get(reverse("api:volunteering_team", args=[teams["a"].pk])).json()
    assert detail["roster"] == [{"person_id": cast.person_a.pk, "name": "万亚勇", "joined": "2024-01-01", "left": None}]
    assert district_a.get(reverse("api:volunteering_team", args=[teams["b"].pk])).status_code == 404
    # A member sees their own team only.
    worker = client_for("worker_a")
    assert [r["name"] for r in worker.get(reverse("api:volunteering_teams")).json()] == ["鄞州电工服务队"]
    assert worker.get(reverse("api:volunteering_team", args=[teams["b"].pk])).status_code == 404


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"specialty": 0}, {"district": "²"}, {"district": "9" * 20}],
)
def test_list_parameters_are_bounded(cast: Any, client_for: Any, params: dict[str, Any]) -> None:
    r = client_for("city").get(reverse("api:volunteering_teams"), params)
    assert r.status_code == 422


def test_staff_record_once_with_the_key(cast: Any, teams: dict[str, Any], client_for: Any) -> None:
    c = client_for("district_a")
    first = _post(c, teams["a"], _body(cast))
    assert first.status_code == 201, first.content
    again = _post(c, teams["a"], _body(cast))
    assert again.json()["id"] == first.json()["id"] and again.json()["replayed"] is True
    activity = Activity.objects.get()
    assert (activity.status, activity.machines_repaired) == (ActivityStatus.CONFIRMED, 10)
    assert ActivityHours.objects.get().hours == pytest.approx(6.5)
    other = _post(c, teams["a"], _body(cast, people_served=1))
    assert other.status_code == 422 and Activity.objects.count() == 1
    missing = c.post(
        reverse("api:volunteering_team_activity_report", args=[teams["a"].pk]),
        data=json.dumps(_body(cast)),
        content_type="application/json",
    )
    assert missing.status_code == 422
    listed = c.get(reverse("api:volunteering_team_activities", args=[teams["a"].pk]), {"year": 2025}).json()
    assert [(r["work_done"], float(r["hours"])) for r in listed] == [("抢修受淹电机", 6.5)]
    assert c.get(reverse("api:volunteering_team_activities", args=[teams["a"].pk]), {"year": 1999}).status_code == 422


def test_bad_reports_write_nothing(cast: Any, teams: dict[str, Any], client_for: Any) -> None:
    c = client_for("district_a")
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    cases = [
        _body(cast, date=future),
        _body(cast, region_id=cast.region_b.pk),  # another district's place
        _body(cast, hours=[{"person_id": cast.person_b.pk, "hours": 2}]),  # not a member
        _body(cast, hours=[{"person_id": cast.person_a.pk, "hours": 30}]),
        _body(cast, work_done=""),
        _body(cast, machines_repaired=-1),
    ]
    for i, body in enumerate(cases):
        r = _post(c, teams["a"], body, key=f"bad-{i}")
        assert r.status_code == 422, (i, r.content)
        assert "detail" in r.json()
    assert not Activity.objects.exists()
    assert _post(client_for("district_b"), teams["a"], _body(cast)).status_code == 404


def test_member_reports_own_hours_only(cast: Any, teams: dict[str, Any], client_for: Any) -> None:
    worker = client_for("worker_a")
    theirs = _post(worker, teams["a"], _body(cast, hours=[{"person_id": cast.person_b.pk, "hours": 2}]), key="w1")
    assert theirs.status_code == 422 and not Activity.objects.exists()
    r = _post(worker, teams["a"], _body(cast), key="w2")
    assert r.status_code == 201 and r.json()["status"] == ActivityStatus.REPORTED
    assert Activity.objects.get().reported_by == cast.person_a
    # Not a member of Haishu's team: it does not exist for them.
    assert _post(worker, teams["b"], _body(cast), key="w3").status_code == 404
