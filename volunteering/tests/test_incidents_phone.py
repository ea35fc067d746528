"""Incidents on the phone: requesters sign in with a code and enter needs for an open incident
(staff see them marked, edit and accept them; a requester sees only their own), and team leaders
call out only the members of their own teams, for needs in their team's part."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import notify
from core.errors import DomainError
from core.models import Notification, Role
from people.models import Person, Trade
from people.services import create_person, set_skill
from tests.cast import login, make_user
from volunteering.incidents import services
from volunteering.models import CallOut, CallOutAnswer, IncidentStatus, Need, NeedStatus, Specialty
from volunteering.teams import services as team_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(cast: Any) -> Any:
    return services.open_incident(
        actor=cast.city, title="台风烟花", kind="typhoon", started=timezone.now(), areas=[cast.region_a, cast.region_b]
    )


def _form(incident: Any, region: Any, **extra: Any) -> dict[str, Any]:
    return {
        "incident": incident.pk,
        "region": region.pk,
        "place": "东吴镇某村",
        "enterprise": "",
        "contact_name": "王村长",
        "contact_mobile": "13900001111",
        "specialty": "",
        "people_needed": "0",
        "equipment": "水泵",
        "equipment_count": "3",
        "urgency": "urgent",
        "description": "村口积水一米",
    } | extra


# ============================================================================ requesters


def test_requester_signs_in_with_a_code(cast: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.SMS_BACKEND = "core.notify.MemorySmsBackend"
    notify.MemorySmsBackend.outbox = []
    make_user("13912340000", Role.REQUESTER)
    c = Client()
    assert c.get(reverse("volunteering:my_needs"))["Location"] == reverse("volunteering:requester_login")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("volunteering:requester_login"), {"mobile": "13912340000"})
    assert r["Location"] == reverse("volunteering:requester_login_code")
    code = notify.MemorySmsBackend.outbox[-1][1].split("验证码是")[1][:6]
    wrong = c.post(reverse("volunteering:requester_login_code"), {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 200 and "_auth_user_id" not in c.session
    r = c.post(reverse("volunteering:requester_login_code"), {"code": code})
    assert r["Location"] == reverse("volunteering:my_needs")
    assert c.get(reverse("volunteering:my_needs")).status_code == 200


def test_unknown_number_is_told_to_register_first(
    cast: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SMS_BACKEND = "core.notify.MemorySmsBackend"
    notify.MemorySmsBackend.outbox = []
    c = Client()
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("volunteering:requester_login"), {"mobile": "13912349999"})
    code = notify.MemorySmsBackend.outbox[-1][1].split("验证码是")[1][:6]
    r = c.post(reverse("volunteering:requester_login_code"), {"code": code})
    assert r.status_code == 200 and "还没有求助方账号" in r.content.decode()
    assert "_auth_user_id" not in c.session


def test_requester_enters_a_need_staff_see_it_marked_and_accept_it(cast: Any, incident: Any) -> None:
    phone = login(Client(), cast.requester)
    page = phone.get(reverse("volunteering:my_need_create")).content.decode()
    assert incident.title in page
    r = phone.post(reverse("volunteering:my_need_create"), _form(incident, cast.region_a))
    need = Need.objects.get(incident=incident)
    assert r["Location"] == reverse("volunteering:my_need", args=[need.pk])
    assert (need.requested_by, need.status, need.district, need.equipment_count) == (
        cast.requester,
        NeedStatus.PENDING,
        cast.region_a,
        3,
    )
    assert Notification.objects.filter(
        recipient=cast.district_a, link=reverse("volunteering:need_edit", args=[need.pk])
    ).exists()
    assert not Notification.objects.filter(recipient=cast.district_b).exists()

    staff = login(Client(), cast.district_a)
    detail = staff.get(reverse("volunteering:incident_detail", args=[incident.pk])).content.decode()
    assert "求助方提交" in detail and "待受理" in detail and "核实受理" in detail
    # Not called out before it is accepted.
    r = staff.get(reverse("volunteering:need_propose", args=[need.pk]))
    assert r["Location"] == reverse("volunteering:need_edit", args=[need.pk])
    with pytest.raises(DomainError):
        services.send_callout(actor=cast.district_a, need=need, person_ids=[cast.person_a.pk])
    # Staff correct the count and accept it: it is open, the requester is told.
    edit = staff.get(reverse("volunteering:need_edit", args=[need.pk])).content.decode()
    assert "求助方提交" in edit and "东吴镇某村" in edit
    data = _form(incident, cast.region_a, equipment_count="5", action="accept")
    data.pop("incident")
    r = staff.post(reverse("volunteering:need_edit", args=[need.pk]), data)
    assert r.status_code == 302
    need.refresh_from_db()
    assert (need.status, need.equipment_count) == (NeedStatus.OPEN, 5)
    assert Notification.objects.filter(
        recipient=cast.requester, link=reverse("volunteering:my_need", args=[need.pk])
    ).exists()
    assert "已受理" in phone.get(reverse("volunteering:my_need", args=[need.pk])).content.decode()
    # Another district's staff do not see it.
    assert login(Client(), cast.district_b).get(reverse("volunteering:need_edit", args=[need.pk])).status_code == 404


def test_requester_sees_only_their_own_needs(cast: Any, incident: Any) -> None:
    mine = services.create_need(
        actor=cast.requester, requested_by=cast.requester, incident=incident, region=cast.region_a,
        place="我的村", specialty=None, equipment="水泵", equipment_count=1,
    )  # fmt: skip
    other_requester = make_user("other_requester", Role.REQUESTER)
    theirs = services.create_need(
        actor=other_requester, requested_by=other_requester, incident=incident, region=cast.region_b,
        place="别人的厂", specialty=None, equipment="发电机", equipment_count=1,
    )  # fmt: skip
    staffs = services.create_need(
        actor=cast.city, incident=incident, region=cast.region_a, place="工作人员登记的",
        specialty=Specialty.objects.get(code="electric"), people_needed=1,
    )  # fmt: skip
    phone = login(Client(), cast.requester)
    page = phone.get(reverse("volunteering:my_needs")).content.decode()
    assert "我的村" in page and "别人的厂" not in page and "工作人员登记的" not in page
    assert phone.get(reverse("volunteering:my_need", args=[mine.pk])).status_code == 200
    assert phone.get(reverse("volunteering:my_need", args=[theirs.pk])).status_code == 404
    assert phone.get(reverse("volunteering:my_need", args=[staffs.pk])).status_code == 404
    # Nor through the staff pages (no permission there).
    assert phone.get(reverse("volunteering:need_edit", args=[mine.pk])).status_code == 403


def test_requester_bad_input_writes_nothing(cast: Any, incident: Any) -> None:
    phone = login(Client(), cast.requester)
    r = phone.post(reverse("volunteering:my_need_create"), _form(incident, cast.region_a, equipment=""))
    assert r.status_code == 200 and "请填写所需专业人员或物资" in r.content.decode()
    r = phone.post(reverse("volunteering:my_need_create"), _form(incident, cast.region_a, contact_mobile=""))
    assert r.status_code == 200
    type(incident).objects.filter(pk=incident.pk).update(status=IncidentStatus.CLOSED)
    r = phone.post(reverse("volunteering:my_need_create"), _form(incident, cast.region_a))
    assert r.status_code == 200
    assert "目前没有进行中的应急事件" in r.content.decode()
    assert not Need.objects.exists()


# ============================================================================ team leaders


def _electrician(region: Any, name: str, grade: str = "3") -> Any:
    p = create_person(actor=None, region=region, name=name, status="working", gender="M")
    set_skill(actor=None, person=p, trade=Trade.objects.get(code="01"), grade=grade, specialties="")
    return p


@pytest.fixture
def teams(cast: Any, incident: Any) -> dict[str, Any]:
    electric = Specialty.objects.get(code="electric")
    leader = create_person(actor=None, region=cast.region_a, name="队长甲", status="working", gender="M")
    Person.objects.filter(pk=leader.pk).update(user=cast.team_leader)
    leader.refresh_from_db()
    other_leader_user = make_user("leader_b", None)
    other_leader = create_person(actor=None, region=cast.region_a, name="队长乙", status="working", gender="M")
    Person.objects.filter(pk=other_leader.pk).update(user=other_leader_user)
    other_leader.refresh_from_db()
    mine = team_services.create_team(
        actor=cast.city, name="鄞州电工一队", specialty=electric, district=cast.region_a, leader=leader
    )
    theirs = team_services.create_team(
        actor=cast.city, name="鄞州电工二队", specialty=electric, district=cast.region_a, leader=other_leader
    )
    member = _electrician(cast.region_a, "本队电工", grade="4")
    outsider = _electrician(cast.region_a, "外队电工", grade="1")
    loner = _electrician(cast.region_a, "无队电工", grade="1")
    team_services.add_member(actor=cast.city, team=mine, person=member, joined=dt.date(2024, 1, 1))
    team_services.add_member(actor=cast.city, team=theirs, person=outsider, joined=dt.date(2024, 1, 1))
    services.assign_team(actor=cast.city, incident=incident, team=mine)
    services.assign_team(actor=cast.city, incident=incident, team=theirs)
    need_a = services.create_need(
        actor=cast.city, incident=incident, region=cast.region_a, place="鄞州某厂", specialty=electric, people_needed=3
    )
    need_b = services.create_need(
        actor=cast.city, incident=incident, region=cast.region_b, place="海曙某厂", specialty=electric, people_needed=3
    )
    return {"member": member, "outsider": outsider, "loner": loner, "need_a": need_a, "need_b": need_b}


def test_leader_proposes_only_own_members(cast: Any, teams: dict[str, Any]) -> None:
    c = login(Client(), cast.team_leader)
    r = c.get(reverse("volunteering:need_propose", args=[teams["need_a"].pk]))
    assert r.status_code == 200
    names = [p.person.name for p in r.context["proposals"]]
    assert names == ["本队电工"]
    assert "只列出本队" in r.content.decode()
    # Staff of the district see everyone qualified.
    staff = login(Client(), cast.district_a).get(reverse("volunteering:need_propose", args=[teams["need_a"].pk]))
    assert {"本队电工", "外队电工", "无队电工"} <= {p.person.name for p in staff.context["proposals"]}
    api = c.get(reverse("api:volunteering_proposal", args=[teams["need_a"].pk]))
    assert [row["name"] for row in api.json()] == ["本队电工"]


def test_leader_calls_out_own_members_only(cast: Any, teams: dict[str, Any]) -> None:
    need = teams["need_a"]
    with pytest.raises(DomainError, match="本队队员"):
        services.send_callout(actor=cast.team_leader, need=need, person_ids=[teams["member"].pk, teams["outsider"].pk])
    assert not CallOut.objects.exists()
    c = login(Client(), cast.team_leader)
    r = c.post(reverse("volunteering:need_propose", args=[need.pk]), {"person": [teams["outsider"].pk]})
    assert r.status_code == 200 and "队长只能召集本队队员" in r.content.decode()
    assert not CallOut.objects.exists()
    r = c.post(reverse("volunteering:need_propose", args=[need.pk]), {"person": [teams["member"].pk]})
    assert r.status_code == 302
    assert list(CallOutAnswer.objects.values_list("person__name", flat=True)) == ["本队电工"]
    # The leader may withdraw their own call-out.
    callout = CallOut.objects.get()
    services.withdraw_callout(actor=cast.team_leader, callout=callout, reason="已够人")


def test_leader_another_teams_need_is_404(cast: Any, teams: dict[str, Any]) -> None:
    c = login(Client(), cast.team_leader)
    # The Haishu need is in no part of a team of theirs.
    assert c.get(reverse("volunteering:need_propose", args=[teams["need_b"].pk])).status_code == 404
    assert c.get(reverse("api:volunteering_proposal", args=[teams["need_b"].pk])).status_code == 404
    detail = c.get(reverse("volunteering:incident_detail", args=[teams["need_a"].incident_id])).content.decode()
    assert "鄞州某厂" in detail and "海曙某厂" not in detail
    with pytest.raises(DomainError):
        services.send_callout(actor=cast.team_leader, need=teams["need_b"], person_ids=[teams["member"].pk])
