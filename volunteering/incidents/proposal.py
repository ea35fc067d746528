"""Proposing people for a need: specialty (the registry trades it lists), team (a current member of
a team of that specialty), area (same grid/street, then district: ``people.ranking``), grade and
honours, minus current load (call-outs still waiting or accepted in open incidents); with reasons.
SQL ranks the candidates (the need's district first, see ``_candidates``); the best ``PREFILTER``
get their live load subtracted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext as _

from people import ranking
from people.models import AVAILABLE_STATUSES, LEVEL_RANK, Person, Skill
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
#: the best grade-and-honours score anyone can have (``ranking.static_sql``'s largest value)
MAX_STATIC = ranking.W_GRADE * max(ranking.GRADE_VALUE.values()) + ranking.W_HONOUR * max(LEVEL_RANK.values()) / 4


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


def _ranked_sql(
    need: Need,
    local: list[int],
    trade_ids: list[int],
    specialty: Specialty,
    where: list[str],
    params: list[Any],
    *,
    team_only: bool = False,
    members: list[int] | None = None,
) -> tuple[str, list[Any]]:
    """The candidates of the specialty as (id, area, stat, team), best first, limited by a final
    ``LIMIT %s`` parameter the caller appends. The skills of the specialty's trades are grouped per
    person first (one row each, their best grade), then joined to the person by key; the
    specialty's current team members (a few hundred at most) go in as one list (joined as a set,
    PostgreSQL planned a nested loop over every candidate with it: rows estimated at 1).
    ``team_only``: only those team members."""
    area_expr, area_params = ranking.area_sql("p.region_id", "p.district_id", local, need.district_id)
    static_expr = ranking.static_sql("MIN(NULLIF(s.grade, ''))", "p.top_level")
    skill = connection.ops.quote_name(Skill._meta.db_table)
    person = connection.ops.quote_name(Person._meta.db_table)
    members = members if members is not None else _members(specialty)
    member_params: list[Any]
    if connection.vendor == "postgresql":
        in_team, member_params = "p.id = ANY(%s)", [members]
    else:
        in_team, member_params = f"p.id IN ({', '.join(['%s'] * len(members))})", list(members)
    conditions = [f"s.trade_id IN ({', '.join(['%s'] * len(trade_ids))})", *where]
    if team_only:
        conditions.append(in_team)
    # The person's rows are filtered first (by district: an index-only scan of person_candidates),
    # then their skills of the specialty's trades joined and grouped per person (best grade).
    sql = (
        f"SELECT id, area, stat, tm FROM (SELECT p.id AS id, {area_expr} AS area, {static_expr} AS stat, "  # noqa: S608
        f"(CASE WHEN {in_team} THEN {W_TEAM} ELSE 0.0 END) AS tm "
        f"FROM {person} p JOIN {skill} s ON s.person_id = p.id "
        f"WHERE {' AND '.join(conditions)} GROUP BY p.id) r "
        f"ORDER BY area + stat + tm DESC, id LIMIT %s"
    )
    return sql, [*area_params, *member_params, *trade_ids, *params, *(member_params if team_only else [])]


def _members(specialty: Specialty) -> list[int]:
    """The specialty's current team members (read once per proposal, both stages use them)."""
    ids = TeamMember.objects.filter(left__isnull=True, team__specialty=specialty).values_list("person_id", flat=True)
    return list(ids.distinct()) or [-1]


def _fetch(sql: str, params: list[Any]) -> list[tuple[int, float, float, float]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(r[0]), float(r[1]), float(r[2]), float(r[3])) for r in cursor.fetchall()]


def _total(row: tuple[int, float, float, float]) -> float:
    return round(row[1] + row[2] + row[3], 6)


def _candidates(
    need: Need,
    local: list[int],
    trade_ids: list[int],
    specialty: Specialty,
    where: list[str],
    params: list[Any],
    n: int,
) -> list[tuple[int, float, float, float]]:
    """The best ``n`` candidates by area + grade/honours + team, ties by id: exactly what one
    ranking over the whole registry gives, found in two stages (bench: 377 ms -> see
    docs/parts/volops.md). Stage 1 ranks only the people of the need's district (an indexed
    slice of the registry). Someone outside it scores at most ``MAX_STATIC`` + ``W_TEAM``, and
    without a team of the specialty at most ``MAX_STATIC``; so when stage 1's ``n``-th score is
    above ``MAX_STATIC``, only the specialty's team members outside the district can still get in
    (stage 2, a few hundred people at most), and their union, sorted, is the whole answer.
    Otherwise (a district with too few candidates, or no district) one ranking over everyone."""
    # ``local`` (the need's grid and street) lies inside its district, and a person's district is
    # derived from their region (people.services), so "in the district" covers every local person.
    inside = "p.district_id = %s"
    inside_params: list[Any] = [need.district_id]
    members = _members(specialty)
    if need.district_id is not None:
        sql, sql_params = _ranked_sql(
            need, local, trade_ids, specialty, [*where, inside], [*params, *inside_params], members=members
        )
        first = _fetch(sql, [*sql_params, n])
        if len(first) == n and _total(first[-1]) > MAX_STATIC + 1e-9:
            threshold = _total(first[-1])
            sql, sql_params = _ranked_sql(
                need,
                local,
                trade_ids,
                specialty,
                [*where, f"NOT COALESCE({inside}, FALSE)"],
                [*params, *inside_params],
                team_only=True,
                members=members,
            )
            second = [r for r in _fetch(sql, [*sql_params, n]) if _total(r) >= threshold - 1e-9]
            return sorted(first + second, key=lambda r: (-_total(r), r[0]))[:n]
    sql, sql_params = _ranked_sql(need, local, trade_ids, specialty, where, params, members=members)
    return _fetch(sql, [*sql_params, n])


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
    rows = _candidates(need, local, trade_ids, specialty, where, params, max(PREFILTER, limit * 2))
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
