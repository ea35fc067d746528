"""The proposal's two-stage search (the need's district first, then the specialty's team members
elsewhere) gives exactly the candidates, scores and order of one ranking over the whole registry."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.utils import timezone

from people.models import Person, Trade
from people.services import create_person, set_skill
from volunteering.incidents import proposal
from volunteering.incidents import services as inc
from volunteering.models import Specialty
from volunteering.teams import services as team_services

pytestmark = pytest.mark.django_db


def _whole_registry(need: Any, n: int) -> list[tuple[int, float, float, float]]:
    specialty = need.specialty
    trade_ids = list(specialty.trades.values_list("pk", flat=True))
    local = proposal.ranking.local_region_ids(need.region_id, need.street_id, need.district_id)
    where = ["p.merged_into_id IS NULL", "p.status IN (%s, %s)"]
    sql, params = proposal._ranked_sql(need, local, trade_ids, specialty, where, ["working", "retired"])
    return proposal._fetch(sql, [*params, n])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_stages_equal_one_ranking(cast: Any, seed: int) -> None:
    rng = random.Random(seed)
    a, b = cast.region_a, cast.region_b
    electric = Specialty.objects.get(code="electric")
    trade = Trade.objects.get(code="01")
    people = []
    for i in range(40):
        p = create_person(
            actor=None, region=a if i % 2 else b, name=f"电工{i}", gender="M", status=rng.choice(["working", "retired"])
        )
        set_skill(actor=None, person=p, trade=trade, grade=rng.choice(["", "1", "2", "3", "4"]), specialties="")
        people.append(p)
    Person.objects.filter(pk__in=[p.pk for p in rng.sample(people, 10)]).update(top_level="city")
    team = team_services.create_team(actor=cast.city, name="海曙电工队", specialty=electric, district=b)
    for p in rng.sample([p for p in people if p.region_id == b.pk], 6):
        team_services.add_member(actor=cast.city, team=team, person=p, joined=dt.date(2024, 1, 1))
    incident = inc.open_incident(actor=cast.city, title="台风", kind="typhoon", started=timezone.now(), areas=[a, b])
    need = inc.create_need(
        actor=cast.city, incident=incident, region=a, place="某厂", specialty=electric, people_needed=5
    )
    local = proposal.ranking.local_region_ids(need.region_id, need.street_id, need.district_id)
    trade_ids = list(electric.trades.values_list("pk", flat=True))
    where = ["p.merged_into_id IS NULL", "p.status IN (%s, %s)"]
    for n in (3, 5, 8, 15, 60):
        got = proposal._candidates(need, local, trade_ids, electric, where, ["working", "retired"], n)
        assert got == _whole_registry(need, n), n
    # the outside team members do get in when they beat the district's n-th
    best = proposal._candidates(need, local, trade_ids, electric, where, ["working", "retired"], 15)
    assert any(r[3] > 0 and r[1] == 0 for r in best)
