"""volunteering.teams: its routes x the cast."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from core.tests.matrix import SIGNED_IN, Route, allow
from volunteering.models import Specialty, Team
from volunteering.teams import services

STAFF = ("city", "district_a", "district_b", "team_leader")


def _team_a(cast: Any) -> Team:
    return services.create_team(
        actor=None, name="鄞州电工服务队", specialty=Specialty.objects.get(code="electric"), district=cast.region_a
    )


def _reported_a(cast: Any) -> dict[str, Any]:
    team = _team_a(cast)
    services.add_member(actor=None, team=team, person=cast.person_a, joined=dt.date(2024, 1, 1))
    activity = services.report_activity(
        actor=None,
        person=cast.person_a,
        team=team,
        hours=Decimal(2),
        date=dt.date(2025, 7, 1),
        region=cast.region_a,
        place="",
        work_done="抢修",
        people_served=0,
        enterprises_helped=0,
        problems_solved=0,
        machines_repaired=0,
        photos=[],
    )
    return {"pk": activity.pk}


def _scoped(ok: int) -> dict[str, int]:
    return dict.fromkeys(SIGNED_IN, 403) | {
        "city": ok,
        "district_a": ok,
        "district_b": 404,
        "team_leader": 404,
        "anonymous": 302,
    }


def _member_a(cast: Any) -> dict[str, Any]:
    team = _team_a(cast)
    return {"pk": services.add_member(actor=None, team=team, person=cast.person_a, joined=dt.date(2024, 1, 1)).pk}


def _team_with_a(cast: Any) -> dict[str, Any]:
    return {
        "pk": services.add_member(
            actor=None, team=_team_a(cast), person=cast.person_a, joined=dt.date(2024, 1, 1)
        ).team_id
    }


# The API: staff in scope, the team's leader, and its members (worker_a is one); others 404 or 403.
API_SCOPED = _scoped(200) | {"worker_a": 200, "worker_b": 404, "anonymous": 401}

MANAGERS = ("city", "district_a", "district_b")
# Managing needs volunteering.teams_manage (the team leader has not: 403 before the scope check).
MANAGE_SCOPED = _scoped(200) | {"team_leader": 403}

ROUTES: list[Route] = [
    Route("volunteering:team_create", expect=allow(*MANAGERS)),
    Route("volunteering:team_edit", setup=lambda c: {"pk": _team_a(c).pk}, expect=MANAGE_SCOPED),
    Route("volunteering:team_member_add", setup=lambda c: {"pk": _team_a(c).pk}, expect=MANAGE_SCOPED),
    Route("volunteering:team_member_end", setup=_member_a, expect=MANAGE_SCOPED),
    # Staff with teams_manage or the team's own leader (the cast's leader leads no Yinzhou team: 404).
    Route("volunteering:team_activity_record", setup=lambda c: {"pk": _team_a(c).pk}, expect=_scoped(200)),
    Route("volunteering:team_list", expect=allow(*STAFF)),
    Route("volunteering:team_detail", setup=lambda c: {"pk": _team_a(c).pk}, expect=_scoped(200)),
    Route("volunteering:activity_confirm", method="post", setup=_reported_a, expect=_scoped(302)),
    Route("volunteering:team_figures", expect=allow(*STAFF)),
    Route("volunteering:my_report", expect=allow("worker_a", "worker_b")),
    # The person picker (htmx): teams_manage; a person outside the user's scope is 404 when picked.
    Route("volunteering:team_person_search", data={"field": "person", "q": "万"}, expect=allow(*MANAGERS)),
    Route(
        "volunteering:team_person_pick",
        kwargs=lambda c: {},
        setup=None,
        data={"field": "person", "pick": "0"},
        expect=allow(*MANAGERS, status=404),
    ),
    Route("api:volunteering_teams", expect=allow(*STAFF, "worker_a", "worker_b", anonymous=401)),
    Route("api:volunteering_team", setup=_team_with_a, expect=API_SCOPED),
    Route("api:volunteering_team_activities", setup=_team_with_a, expect=API_SCOPED),
    Route(
        "api:volunteering_team_activity_report",
        method="post",
        setup=_team_with_a,
        data={"date": "2025-07-01", "region_id": 1, "work_done": "抢修", "hours": [{"person_id": 1, "hours": 2}]},
        content_type="application/json",
        # Without an Idempotency-Key the request is refused (422) after the scope check (404).
        expect=API_SCOPED | {"city": 422, "district_a": 422, "worker_a": 422},
    ),
]
