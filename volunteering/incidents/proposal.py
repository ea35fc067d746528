"""Proposing people for a need: specialty (the registry trades it lists), team (a current member of
a team of that specialty), area (same grid/street, then district: ``people.ranking``), grade and
honours, minus current load (call-outs still waiting or accepted in open incidents); with reasons.
One SQL statement ranks the candidates; the best ``PREFILTER`` get their live load subtracted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext as _

from people import ranking
from people.models import AVAILABLE_STATUSES, Person, Skill
from volunteering.models import (
    Answer,
    CallOutAnswer,
    CallOutStatus,
    IncidentStatus,
    Need,
    Specialty,
    TeamMember,
)

W_SPECIALTY = ranking.W_CATEGORY_DEFAULT
W_TEAM = 0.10
PREFILTER = 150


@dataclass
class Proposal:
    person: Person
    score: float
    reasons: list[str] = field(default_factory=list)
    load: int = 0
    in_team: bool = False


def current_loads(person_ids: list[int]) -> dict[int, int]:
    qs = CallOutAnswer.objects.filter(
        person_id__in=person_ids,
        answer__in=[Answer.PENDING, Answer.YES],
        callout__status__in=[CallOutStatus.SENDING, CallOutStatus.SENT],
        callout__incident__status=IncidentStatus.OPEN,
    )
    return dict(qs.values("person_id").annotate(n=Count("id")).values_list("person_id", "n"))


def propose(
    need: Need,
    *,
    limit: int = 50,
    specialty: Specialty | None = None,
    only_person_ids: list[int] | None = None,
    exclude_busy: bool = False,
) -> list[Proposal]:
    specialty = specialty or need.specialty
    if specialty is None:
        return []
    trade_ids = list(specialty.trades.values_list("pk", flat=True)) or [-1]
    called = (
        list(
            CallOutAnswer.objects.filter(callout__need=need)
            .exclude(callout__status=CallOutStatus.WITHDRAWN)
            .values_list("person_id", flat=True)
        )
        if need.pk
        else []
    )
    local = ranking.local_region_ids(need.region_id, need.street_id, need.district_id)
    area_expr, area_params = ranking.area_sql("p.region_id", "p.district_id", local, need.district_id)
    static_expr = ranking.static_sql("sk.grade", "p.top_level")
    skill = connection.ops.quote_name(Skill._meta.db_table)
    person = connection.ops.quote_name(Person._meta.db_table)
    member = connection.ops.quote_name(TeamMember._meta.db_table)
    team = connection.ops.quote_name(TeamMember._meta.get_field("team").related_model._meta.db_table)  # type: ignore[union-attr]
    where = [
        "p.merged_into_id IS NULL",
        f"p.status IN ({', '.join(['%s'] * len(AVAILABLE_STATUSES))})",
    ]
    params: list[Any] = [str(s) for s in AVAILABLE_STATUSES]
    if called:
        where.append(f"p.id NOT IN ({', '.join(['%s'] * len(called))})")
        params += called
    if only_person_ids is not None:
        where.append(f"p.id IN ({', '.join(['%s'] * len(only_person_ids))})" if only_person_ids else "1 = 0")
        params += only_person_ids
    # The skills of the specialty's trades are grouped per person first (one row each, their best
    # grade), then joined to the person by key, and team membership is one set joined once: no
    # per-person subquery (whose cost also switched JIT on) and no merge join walking the whole
    # registry's primary key. bench/bench_volunteering.py: p50 380 -> 240 ms on a loaded machine.
    skills = (
        f"SELECT s.person_id, MIN(NULLIF(s.grade, '')) AS grade FROM {skill} s "  # noqa: S608
        f"WHERE s.trade_id IN ({', '.join(['%s'] * len(trade_ids))}) GROUP BY s.person_id"
    )
    members = (
        f"SELECT DISTINCT m.person_id FROM {member} m JOIN {team} t ON t.id = m.team_id "  # noqa: S608
        f'WHERE m."left" IS NULL AND t.specialty_id = %s'
    )
    sql = (
        f"SELECT id, area, stat, tm FROM (SELECT p.id AS id, {area_expr} AS area, {static_expr} AS stat, "  # noqa: S608
        f"(CASE WHEN tm.person_id IS NULL THEN 0.0 ELSE {W_TEAM} END) AS tm "
        f"FROM ({skills}) sk JOIN {person} p ON p.id = sk.person_id "
        f"LEFT JOIN ({members}) tm ON tm.person_id = p.id "
        f"WHERE {' AND '.join(where)}) r "
        f"ORDER BY area + stat + tm DESC, id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*area_params, *trade_ids, specialty.pk, *params, max(PREFILTER, limit * 2)])
        rows = [(int(r[0]), float(r[1]), float(r[2]), float(r[3])) for r in cursor.fetchall()]
    loads = current_loads([r[0] for r in rows])
    scored = []
    for pid, area, stat, tm in rows:
        load = loads.get(pid, 0)
        if exclude_busy and load:
            continue
        scored.append((round(W_SPECIALTY + area + stat + tm - ranking.load_penalty(load), 6), pid, load, tm > 0))
    scored.sort(key=lambda s: (-s[0], s[1]))
    top = scored[:limit]
    people = Person.objects.select_related("region", "district").in_bulk([s[1] for s in top])
    grades: dict[int, str] = {}
    for pid, grade in (
        Skill.objects.filter(person_id__in=list(people), trade_id__in=trade_ids)
        .exclude(grade="")
        .values_list("person_id", "grade")
    ):
        grades[pid] = min(grade, grades.get(pid, grade))
    out = []
    for score, pid, load, team_member in top:
        p = people[pid]
        reasons = [_("专业对口：%(specialty)s") % {"specialty": specialty.name}]
        if team_member:
            reasons.append(_("%(specialty)s服务队队员") % {"specialty": specialty.name})
        reasons += [
            r
            for r in (
                ranking.area_reason(p, local, need.district_id),
                ranking.grade_reason(grades.get(pid, "")),
                ranking.honour_reason(p.top_level),
            )
            if r
        ]
        reasons.append(ranking.load_reason(load))
        out.append(Proposal(person=p, score=score, reasons=reasons, load=load, in_team=team_member))
    return out
