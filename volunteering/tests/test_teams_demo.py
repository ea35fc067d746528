from __future__ import annotations

import io
from typing import Any

import pytest

from people.models import Trade
from people.services import create_person, set_skill
from volunteering.models import ActivityHours, Team, TeamMember
from volunteering.teams import demo

pytestmark = pytest.mark.django_db


def test_demo_builds_teams_from_registry_skills(cast: Any) -> None:
    for i in range(4):
        p = create_person(actor=None, region=cast.region_a, name=f"电工{i}", status="working", gender="M")
        set_skill(actor=None, person=p, trade=Trade.objects.get(code="01"), grade="3", specialties="")
    out = io.StringIO()
    demo.build(size=0, seed=2026, stdout=out)
    team = Team.objects.get()
    assert team.district == cast.region_a and team.specialty.code == "electric"
    assert TeamMember.objects.filter(team=team).count() == 4
    assert ActivityHours.objects.filter(activity__team=team).exists()
    assert "1 teams" in out.getvalue()
    demo.build(size=0, seed=2026, stdout=out)  # a second run leaves the teams alone
    assert Team.objects.count() == 1
