"""Staff pages of the teams part: create/edit a team, add and end a membership, record an activity
by hand with hours per member. Happy path, bad input (form error, nothing written), scope, permission."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from people.services import create_person
from tests.cast import login, make_user
from volunteering.models import Activity, ActivityHours, ActivityStatus, Specialty, Team, TeamMember
from volunteering.teams import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(cast: Any) -> Team:
    return services.create_team(
        actor=None, name="鄞州电工服务队", specialty=Specialty.objects.get(code="electric"), district=cast.region_a
    )


def test_create_team_with_leader(cast: Any) -> None:
    leader = create_person(actor=None, region=cast.region_a, name="队长乙", status="working", gender="M")
    leader.user = make_user("leader_y", None)
    leader.save(update_fields=["user"])
    c = login(Client(), cast.district_a)
    r = c.get(reverse("volunteering:team_create"), {"q": "队长乙"})
    assert r.status_code == 200 and "队长乙" in r.content.decode()
    r = c.post(
        reverse("volunteering:team_create"),
        {
            "name": "鄞州机修服务队",
            "specialty": Specialty.objects.get(code="repair").pk,
            "district": cast.region_a.pk,
            "leader": leader.pk,
        },
    )
    team = Team.objects.get(name="鄞州机修服务队")
    assert r.status_code == 302 and r["Location"] == reverse("volunteering:team_detail", args=[team.pk])
    assert team.leader == leader and TeamMember.objects.filter(team=team, person=leader).exists()


def test_create_team_bad_input_is_form_error(cast: Any, team: Team) -> None:
    c = login(Client(), cast.district_a)
    spec = Specialty.objects.get(code="electric").pk
    # Same name: the service's refusal beside the field.
    r = c.post(
        reverse("volunteering:team_create"), {"name": team.name, "specialty": spec, "district": cast.region_a.pk}
    )
    assert r.status_code == 200 and "已有同名服务队" in r.content.decode()
    # Another district's region is not offered to district A.
    r = c.post(reverse("volunteering:team_create"), {"name": "新队", "specialty": spec, "district": cast.region_b.pk})
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    # A leader number that does not exist, and one without an account.
    r = c.post(
        reverse("volunteering:team_create"),
        {"name": "新队", "specialty": spec, "district": cast.region_a.pk, "leader": 99999999},
    )
    assert r.status_code == 200 and "找不到编号" in r.content.decode()
    p = create_person(actor=None, region=cast.region_a, name="无账号", status="working", gender="M")
    r = c.post(
        reverse("volunteering:team_create"),
        {"name": "新队", "specialty": spec, "district": cast.region_a.pk, "leader": p.pk},
    )
    assert r.status_code == 200 and "登录账号" in r.content.decode()
    assert not Team.objects.filter(name="新队").exists()


def test_edit_team_and_scope(cast: Any, team: Team) -> None:
    url = reverse("volunteering:team_edit", args=[team.pk])
    r = login(Client(), cast.district_a).post(
        url, {"name": "鄞州电工抢修队", "specialty": team.specialty_id, "description": "x", "active": "on"}
    )
    assert r.status_code == 302
    team.refresh_from_db()
    assert team.name == "鄞州电工抢修队" and team.active
    assert login(Client(), cast.district_b).get(url).status_code == 404
    assert login(Client(), cast.team_leader).get(url).status_code == 403
    assert login(Client(), cast.district_a).post(url, {"name": "", "specialty": ""}).status_code == 200


def test_add_and_end_member(cast: Any, team: Team) -> None:
    c = login(Client(), cast.district_a)
    add = reverse("volunteering:team_member_add", args=[team.pk])
    r = c.get(add, {"pick": cast.person_a.pk})
    assert r.status_code == 200 and cast.person_a.name in r.content.decode()
    r = c.post(add, {"person": cast.person_a.pk, "joined": "2024-03-01"})
    assert r.status_code == 302
    member = TeamMember.objects.get(team=team, person=cast.person_a)
    # Twice: a form error, not a second row.
    r = c.post(add, {"person": cast.person_a.pk, "joined": "2024-03-01"})
    assert r.status_code == 200 and "已是本队队员" in r.content.decode()
    other = create_person(actor=None, region=cast.region_a, name="新队员", status="working", gender="F")
    r = c.post(add, {"person": other.pk, "joined": "2999-01-01"})
    assert r.status_code == 200 and "不能晚于今天" in r.content.decode()
    assert c.post(add, {"person": "abc", "joined": "x"}).status_code == 200
    # Someone outside district A's scope cannot be picked by number.
    r = c.post(add, {"person": cast.person_b.pk, "joined": "2024-03-01"})
    assert r.status_code == 200 and "找不到编号" in r.content.decode()
    assert TeamMember.objects.filter(team=team).count() == 1

    end = reverse("volunteering:team_member_end", args=[member.pk])
    assert login(Client(), cast.district_b).post(end, {"left": "2025-01-01"}).status_code == 404
    assert login(Client(), cast.team_leader).post(end, {"left": "2025-01-01"}).status_code == 403
    r = c.post(end, {"left": "2020-01-01"})
    assert r.status_code == 200 and "不能早于入队日期" in r.content.decode()
    r = c.post(end, {"left": "2025-06-30", "note": "调离"})
    assert r.status_code == 302
    member.refresh_from_db()
    assert member.left == dt.date(2025, 6, 30) and member.note == "调离"
    page = c.get(reverse("volunteering:team_detail", args=[team.pk])).content.decode()
    assert "2025-06-30" in page and data_confirm_ok(c.get(end).content.decode())


def data_confirm_ok(html: str) -> bool:
    return "data-confirm" in html


def test_record_activity_with_hours(cast: Any, team: Team) -> None:
    services.add_member(actor=None, team=team, person=cast.person_a, joined=dt.date(2024, 1, 1))
    c = login(Client(), cast.district_a)
    url = reverse("volunteering:team_activity_record", args=[team.pk])
    page = c.get(url).content.decode()
    assert f'name="h_{cast.person_a.pk}"' in page
    data = {
        "date": "2025-07-01",
        "region": cast.region_a.pk,
        "place": "某厂",
        "work_done": "抢修电机",
        "people_served": 30,
        "enterprises_helped": 1,
        "problems_solved": 4,
        "machines_repaired": 10,
    }
    # No hours for anyone: a form error, nothing written.
    r = c.post(url, data)
    assert r.status_code == 200 and "至少填写一名队员" in r.content.decode()
    r = c.post(url, data | {f"h_{cast.person_a.pk}": "30"})
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    assert not Activity.objects.exists()
    r = c.post(url, data | {f"h_{cast.person_a.pk}": "3.5"})
    assert r.status_code == 302
    a = Activity.objects.get()
    assert a.status == ActivityStatus.CONFIRMED and a.machines_repaired == 10
    assert ActivityHours.objects.get(activity=a).hours == 3.5
    assert login(Client(), cast.district_b).get(url).status_code == 404
    assert login(Client(), cast.worker_a).get(url).status_code == 403


def test_leader_records_own_team_only(cast: Any) -> None:
    leader = create_person(actor=None, region=cast.region_a, name="队长丙", status="working", gender="M")
    user = make_user("leader_z", None)
    leader.user = user
    leader.save(update_fields=["user"])
    team = services.create_team(
        actor=None,
        name="丙队",
        specialty=Specialty.objects.get(code="electric"),
        district=cast.region_a,
        leader=leader,
    )
    c = login(Client(), user)
    assert c.get(reverse("volunteering:team_activity_record", args=[team.pk])).status_code == 200
    assert c.get(reverse("volunteering:team_member_add", args=[team.pk])).status_code == 403
