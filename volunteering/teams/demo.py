"""volunteering.teams: deterministic demo data (called by ``volunteering/demo.py``): in every
district, a team for each specialty its registry can staff, members drawn from the people whose
skills qualify (joined over the last years), and a few confirmed activities with hours. Its own
``random.Random(seed + 1307)``: no draw of earlier apps changes."""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal
from typing import Any

from django.db import transaction

from core.models import Region, RegionKind
from people.models import Person, Skill
from volunteering.models import Activity, ActivityHours, ActivityStatus, Specialty, Team, TeamMember

MAX_MEMBERS = 15
MIN_MEMBERS = 3


@transaction.atomic
def build(*, size: int, seed: int, stdout: Any) -> None:
    if Team.objects.exists():
        stdout.write("  volunteering.teams: teams exist, left alone")
        return
    started = time.monotonic()
    rng = random.Random(seed + 1307)
    districts = list(Region.objects.filter(kind=RegionKind.DISTRICT, active=True).order_by("code"))
    available = Person.objects.available()
    teams = members = activities = 0
    for specialty in Specialty.objects.filter(active=True).order_by("sort", "pk"):
        trade_ids = list(specialty.trades.values_list("pk", flat=True))
        holders = list(
            Skill.objects.filter(trade_id__in=trade_ids, person__in=available)
            .values_list("person_id", "person__district_id")
            .order_by("person_id")
            .distinct()
        )
        for district in districts:
            pool = sorted({pid for pid, did in holders if did == district.pk})
            if len(pool) < MIN_MEMBERS:
                continue
            chosen = rng.sample(pool, min(len(pool), MAX_MEMBERS))
            team = Team.objects.create(
                name=f"{district.short_name or district.name}{specialty.name}志愿服务队",
                specialty=specialty,
                district=district,
                founded=dt.date(2019 + rng.randrange(3), 1 + rng.randrange(12), 1),
            )
            founded: dt.date = team.founded  # type: ignore[assignment]
            joined_on = {pid: founded + dt.timedelta(days=rng.randrange(400)) for pid in chosen}
            TeamMember.objects.bulk_create(
                [TeamMember(team=team, person_id=pid, joined=joined_on[pid]) for pid in chosen]
            )
            teams += 1
            members += len(chosen)
            for _ in range(rng.randrange(2, 5)):
                day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(300))
                activity = Activity.objects.create(
                    team=team,
                    date=day,
                    region=district,
                    work_done=f"{specialty.name}志愿服务进社区",
                    people_served=rng.randrange(10, 120),
                    enterprises_helped=rng.randrange(0, 4),
                    problems_solved=rng.randrange(0, 8),
                    status=ActivityStatus.CONFIRMED,
                )
                joined = [
                    pid
                    for pid in chosen
                    if TeamMember.objects.filter(team=team, person_id=pid, joined__lte=day).exists()
                ]
                ActivityHours.objects.bulk_create(
                    [
                        ActivityHours(activity=activity, person_id=pid, hours=Decimal(rng.choice([2, 3, 4])))
                        for pid in joined[:8]
                    ]
                )
                activities += 1
    stdout.write(
        f"  volunteering.teams: {teams} teams, {members} members, {activities} activities"
        f" ({time.monotonic() - started:.1f} s)"
    )
