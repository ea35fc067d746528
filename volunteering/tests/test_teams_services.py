"""Teams: leader with the team-leader role, dated membership, activities reported by a member and
confirmed by the leader, yearly figures, scope, merge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from core.errors import DomainError
from core.models import Notification, Role, RoleAssignment
from people.services import create_person
from tests.cast import login, make_user
from volunteering.models import Activity, ActivityStatus, Specialty, Team, TeamMember
from volunteering.teams import selectors, services
from volunteering.teams.hooks import on_person_merged

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(cast: Any) -> Team:
    leader_user = make_user("leader_x", None)
    leader = create_person(actor=None, region=cast.region_a, name="队长甲", status="working", gender="M")
    leader.user = leader_user
    leader.save(update_fields=["user"])
    return services.create_team(
        actor=cast.city,
        name="鄞州电工服务队",
        specialty=Specialty.objects.get(code="electric"),
        district=cast.region_a,
        leader=leader,
    )


def test_leader_gets_role_and_is_member(cast: Any, team: Team) -> None:
    assert team.leader is not None
    assert RoleAssignment.objects.filter(user=team.leader.user, role=Role.TEAM_LEADER).exists()
    assert TeamMember.objects.filter(team=team, person=team.leader, left__isnull=True).exists()
    assert Team.objects.visible_to(team.leader.user).filter(pk=team.pk).exists()
    assert not Team.objects.visible_to(cast.team_leader).filter(pk=team.pk).exists()
    assert not Team.objects.visible_to(cast.district_b).filter(pk=team.pk).exists()


def test_leader_without_account_refused(cast: Any) -> None:
    p = create_person(actor=None, region=cast.region_a, name="无账号", status="working", gender="M")
    with pytest.raises(DomainError, match="账号"):
        services.create_team(
            actor=cast.city,
            name="x队",
            specialty=Specialty.objects.get(code="medical"),
            district=cast.region_a,
            leader=p,
        )


def test_membership_dated_once(cast: Any, team: Team) -> None:
    m = services.add_member(actor=cast.city, team=team, person=cast.person_a, joined=dt.date(2024, 3, 1))
    with pytest.raises(DomainError, match="已是本队队员"):
        services.add_member(actor=cast.city, team=team, person=cast.person_a, joined=dt.date(2024, 3, 1))
    with pytest.raises(DomainError, match="早于"):
        services.end_membership(actor=cast.city, member=m, left=dt.date(2024, 1, 1))
    services.end_membership(actor=cast.city, member=m, left=dt.date(2025, 1, 1))
    services.add_member(actor=cast.city, team=team, person=cast.person_a, joined=dt.date(2025, 6, 1))
    assert TeamMember.objects.filter(team=team, person=cast.person_a).count() == 2
    with pytest.raises(DomainError):
        services.add_member(actor=cast.district_b, team=team, person=cast.person_b, joined=dt.date(2025, 6, 1))


def test_member_reports_leader_confirms_figures(cast: Any, team: Team) -> None:
    services.add_member(actor=cast.city, team=team, person=cast.person_a, joined=dt.date(2024, 3, 1))
    fields = {
        "date": dt.date(2025, 7, 25),
        "region": cast.region_a,
        "place": "某厂",
        "work_done": "抢修电机",
        "people_served": 30,
        "enterprises_helped": 1,
        "problems_solved": 3,
        "machines_repaired": 10,
        "photos": [],
    }
    activity = services.report_activity(
        actor=cast.worker_a, person=cast.person_a, team=team, hours=Decimal("4.5"), **fields
    )
    assert activity.status == ActivityStatus.REPORTED
    assert Notification.objects.filter(recipient=team.leader.user, related_id=str(activity.pk)).exists()  # type: ignore[union-attr]
    assert selectors.awaiting_confirmation(team.leader.user).filter(pk=activity.pk).exists()  # type: ignore[union-attr]
    with pytest.raises(DomainError):
        services.confirm_activity(actor=cast.worker_a, activity=activity)
    services.confirm_activity(actor=team.leader.user, activity=activity)  # type: ignore[union-attr]
    with pytest.raises(DomainError, match="已处理"):
        services.confirm_activity(actor=team.leader.user, activity=activity)  # type: ignore[union-attr]
    figures = {row["team"].pk: row for row in selectors.team_year_figures(cast.city, 2025)}
    assert figures[team.pk]["activities"] == 1 and figures[team.pk]["hours"] == Decimal("4.5")
    assert figures[team.pk]["served"] == 30
    people = list(selectors.person_year_figures(cast.city, 2025))
    assert people[0]["person_id"] == cast.person_a.pk and people[0]["hours"] == Decimal("4.5")
    # Someone not in the team that day cannot log hours.
    with pytest.raises(DomainError, match="不是本队队员"):
        services.record_activity(actor=cast.city, team=team, hours={cast.person_b.pk: Decimal(2)}, **fields)
    assert Activity.objects.count() == 1


def test_merge_moves_memberships(cast: Any, team: Team) -> None:
    services.add_member(actor=cast.city, team=team, person=cast.person_a, joined=dt.date(2024, 3, 1))
    services.add_member(actor=cast.city, team=team, person=cast.person_b, joined=dt.date(2024, 3, 1))
    on_person_merged(keep=cast.person_a, duplicate=cast.person_b)
    assert TeamMember.objects.filter(team=team, person=cast.person_a, left__isnull=True).count() == 1
    assert not TeamMember.objects.filter(person=cast.person_b).exists()


def test_pages_roster_confirm_and_excel(cast: Any, team: Team, client: Any) -> None:
    services.add_member(actor=cast.city, team=team, person=cast.person_a, joined=dt.date(2024, 3, 1))
    activity = services.report_activity(
        actor=cast.worker_a,
        person=cast.person_a,
        team=team,
        hours=Decimal(3),
        date=dt.date(2025, 7, 25),
        region=cast.region_a,
        place="",
        work_done="排涝",
        people_served=5,
        enterprises_helped=1,
        problems_solved=1,
        machines_repaired=0,
        photos=[],
    )
    c = login(client, team.leader.user)  # type: ignore[union-attr]
    page = c.get(f"/volunteering/teams/{team.pk}/").content.decode()
    assert "万亚勇" in page and "待确认的上报" in page
    c.post(f"/volunteering/activities/{activity.pk}/confirm/", {"action": "confirm"})
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CONFIRMED
    staff = login(client.__class__(), cast.city)
    response = staff.get("/volunteering/figures/?year=2025&export=teams")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "鄞州电工服务队" in staff.get("/volunteering/figures/?year=2025").content.decode()


def test_member_reports_from_phone(cast: Any, team: Team, client: Any) -> None:
    services.add_member(actor=cast.city, team=team, person=cast.person_a, joined=dt.date(2024, 3, 1))
    c = login(client, cast.worker_a)
    assert "服务时长" in c.get("/volunteering/p/activities/report/").content.decode()
    data = {"team": team.pk, "date": "2025-07-25", "region": cast.region_a.pk, "work_done": "修水泵", "hours": "3.5"}
    response = c.post("/volunteering/p/activities/report/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    activity = Activity.objects.get(reported_by=cast.person_a)
    assert activity.status == ActivityStatus.REPORTED and activity.hours.get().hours == Decimal("3.5")
    bad = c.post("/volunteering/p/activities/report/", data | {"hours": "30"})
    assert bad.status_code == 200 and Activity.objects.count() == 1
