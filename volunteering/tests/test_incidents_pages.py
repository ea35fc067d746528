"""Staff pages of the incidents part: open an incident with its districts, assign a team, withdraw a
call-out. Happy path, bad input (form error, nothing written), scope, permission."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from people.services import create_person
from tests.cast import login, make_user
from volunteering.incidents import services
from volunteering.models import (
    CallOut,
    CallOutAnswer,
    CallOutStatus,
    CommandLevel,
    Incident,
    IncidentArea,
    Specialty,
)
from volunteering.teams import services as team_services

pytestmark = pytest.mark.django_db


def _incident(cast: Any) -> Incident:
    return services.open_incident(
        actor=None, title="台风烟花", kind="typhoon", started=timezone.now(), areas=[cast.region_a]
    )


def test_open_incident_page(cast: Any) -> None:
    c = login(Client(), cast.city)
    assert "启动应急事件" in c.get(reverse("volunteering:incident_list")).content.decode()
    r = c.get(reverse("volunteering:incident_create"))
    assert r.status_code == 200 and cast.region_b.name in r.content.decode()
    r = c.post(
        reverse("volunteering:incident_create"),
        {
            "title": "台风灿都",
            "kind": "typhoon",
            "started": "2026-09-13T08:00",
            "areas": [cast.region_a.pk, cast.region_b.pk],
            "description": "",
        },
    )
    incident = Incident.objects.get(title="台风灿都")
    assert r.status_code == 302 and r["Location"] == reverse("volunteering:incident_detail", args=[incident.pk])
    levels = sorted(incident.areas.values_list("command_level", flat=True))
    assert levels == sorted([CommandLevel.CITY, CommandLevel.DISTRICT, CommandLevel.DISTRICT])
    # District B now sees it (its part).
    assert login(Client(), cast.district_b).get(r["Location"]).status_code == 200


def test_open_incident_bad_input(cast: Any) -> None:
    c = login(Client(), cast.city)
    url = reverse("volunteering:incident_create")
    for data in (
        {"title": "x", "kind": "typhoon", "started": "2026-09-13T08:00"},  # no district
        {"title": "x", "kind": "quake", "started": "2026-09-13T08:00", "areas": [cast.region_a.pk]},
        {"title": "x", "kind": "typhoon", "started": "明天", "areas": [cast.region_a.pk]},
        {"title": "", "kind": "typhoon", "started": "2026-09-13T08:00", "areas": [cast.region_a.pk]},
        {"title": "x", "kind": "typhoon", "started": "2026-09-13T08:00", "areas": ["999999"]},
    ):
        r = c.post(url, data)
        assert r.status_code == 200 and "errorlist" in r.content.decode(), data
    assert not Incident.objects.exists()
    # Only the city opens incidents.
    assert login(Client(), cast.district_a).get(url).status_code == 403
    assert login(Client(), cast.district_a).post(url, {"title": "x"}).status_code == 403


def test_assign_team_page(cast: Any) -> None:
    incident = _incident(cast)
    team_a = team_services.create_team(
        actor=None, name="鄞州电工队", specialty=Specialty.objects.get(code="electric"), district=cast.region_a
    )
    team_b = team_services.create_team(
        actor=None, name="海曙电工队", specialty=Specialty.objects.get(code="electric"), district=cast.region_b
    )
    c = login(Client(), cast.district_a)
    detail = reverse("volunteering:incident_detail", args=[incident.pk])
    assert "指派服务队" in c.get(detail).content.decode()
    url = reverse("volunteering:incident_assign_team", args=[incident.pk])
    page = c.get(url).content.decode()
    assert team_a.name in page and team_b.name not in page  # not in the incident's districts
    r = c.post(url, {"team": team_b.pk})
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    assert c.post(url, {"team": "x"}).status_code == 200
    r = c.post(url, {"team": team_a.pk})
    assert r.status_code == 302
    assert IncidentArea.objects.filter(incident=incident, team=team_a, command_level=CommandLevel.TEAM).exists()
    # Once assigned it is no longer offered.
    assert team_a.name not in c.get(url).content.decode().split("<form", 1)[-1]
    assert login(Client(), cast.district_b).get(url).status_code == 404
    assert login(Client(), cast.worker_a).get(url).status_code == 403


def test_withdraw_callout_button(cast: Any) -> None:
    incident = _incident(cast)
    need = services.create_need(
        actor=None,
        incident=incident,
        region=cast.region_a,
        place="某厂",
        specialty=Specialty.objects.get(code="electric"),
        people_needed=1,
    )
    callout = services.send_callout(actor=None, need=need, person_ids=[cast.person_a.pk])
    c = login(Client(), cast.district_a)
    page = c.get(reverse("volunteering:incident_detail", args=[incident.pk])).content.decode()
    url = reverse("volunteering:callout_withdraw", args=[callout.pk])
    assert url in page and "data-confirm" in page
    assert login(Client(), cast.district_b).post(url).status_code == 404
    assert login(Client(), cast.worker_a).post(url).status_code == 403
    assert c.get(url).status_code == 405
    r = c.post(url, {"reason": "已有人到场"})
    assert r.status_code == 302
    callout.refresh_from_db()
    assert callout.status == CallOutStatus.WITHDRAWN and callout.withdrawn_reason == "已有人到场"
    # Twice: a message, not a 500; and the person's answer is now refused.
    r = c.post(url, follow=True)
    assert r.status_code == 200 and "已撤回" in r.content.decode()
    row = CallOutAnswer.objects.get(callout=callout)
    r = login(Client(), cast.worker_a).post(
        reverse("volunteering:my_callout_answer", args=[row.pk]), {"answer": "yes"}, follow=True
    )
    assert "已撤回" in r.content.decode()
    assert CallOut.objects.get(pk=callout.pk).status == CallOutStatus.WITHDRAWN


def test_assigned_leader_is_told_and_sees_the_incident(cast: Any) -> None:
    incident = _incident(cast)
    leader = create_person(actor=None, region=cast.region_a, name="队长丁", status="working", gender="M")
    user = make_user("leader_d", None)
    leader.user = user
    leader.save(update_fields=["user"])
    team = team_services.create_team(
        actor=None,
        name="丁队",
        specialty=Specialty.objects.get(code="electric"),
        district=cast.region_a,
        leader=leader,
    )
    url = reverse("volunteering:incident_detail", args=[incident.pk])
    assert login(Client(), user).get(url).status_code == 404
    login(Client(), cast.city).post(reverse("volunteering:incident_assign_team", args=[incident.pk]), {"team": team.pk})
    note = Notification.objects.get(recipient=user)
    assert note.link == url and "丁队" in note.subject
    assert login(Client(), user).get(url).status_code == 200
