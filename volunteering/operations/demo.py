"""volunteering.operations: deterministic demo data (called by ``volunteering/demo.py`` after the teams).

Two closed incidents whose records give the seed's figures (../shared/seed/), and one open incident
so the live board is alive in ``make run``:

- 2020 新冠肺炎疫情 (复工复产服务): 280多 craftsmen served 150多 enterprises, solved 300多 problems and
  served 12000多 workers — the figures are the check-out results of the dispatches.
- 2021年7月 台风“烟花”: 26 activities, 60多 pumps lent, 40多 enterprises helped, 500多 machines
  repaired; 宁波阿帕奇电器科技股份有限公司 (洞桥镇) got 5 electricians who repaired 10余 motors on site.
- An open typhoon incident: needs open and covered, people called / answered / dispatched / on site,
  pumps and generators still out.

The closed incidents' records are written directly with their 2020/2021 dates (the services stamp
"now"); the open incident goes through the services (need, call-out, answer, dispatch, check-in,
lend). People are only read from the registry. Its own ``random.Random(seed + 1409)``."""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from core.models import Region, RegionKind
from people.models import Person, Skill
from volunteering.incidents import services as incidents
from volunteering.models import (
    Activity,
    ActivityHours,
    ActivityStatus,
    Answer,
    CallOut,
    CallOutAnswer,
    CallOutStatus,
    Dispatch,
    DispatchStatus,
    EquipmentItem,
    EquipmentLoan,
    Incident,
    IncidentKind,
    IncidentStatus,
    Need,
    NeedStatus,
    Specialty,
    Team,
    TeamMember,
    Urgency,
)
from volunteering.operations import services as ops

TZ = ZoneInfo("Asia/Shanghai")
EPIDEMIC_TITLE = "2020年新冠肺炎疫情防控·复工复产服务"
TYPHOON_TITLE = "2021年7月台风“烟花”抢险救灾"
OPEN_TITLE = "台风应急演练（进行中）"
APACHE = "宁波阿帕奇电器科技股份有限公司"

_WORDS = [
    "华东",
    "甬江",
    "东海",
    "天一",
    "明州",
    "海曙",
    "三江",
    "四明",
    "新城",
    "宏达",
    "恒业",
    "永盛",
    "瑞丰",
    "嘉和",
    "金鼎",
    "远航",
    "博远",
    "力行",
    "精工",
    "众诚",
]
_TRADES = [
    "机械",
    "电器",
    "模具",
    "纺织",
    "服饰",
    "汽配",
    "五金",
    "塑料",
    "电子",
    "化工",
    "轴承",
    "阀门",
    "家电",
    "文具",
    "包装",
    "食品",
]
_SUFFIX = ["有限公司", "股份有限公司", "制造有限公司", "科技有限公司"]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _split(rng: random.Random, total: int, n: int, low: int = 0) -> list[int]:
    """``n`` non-negative parts (each ≥ ``low``) adding up to exactly ``total``."""
    parts = [low] * n
    for _ in range(total - low * n):
        parts[rng.randrange(n)] += 1
    return parts


def _enterprises(rng: random.Random, n: int) -> list[str]:
    names = sorted({f"宁波{w}{t}{s}" for w in _WORDS for t in _TRADES for s in _SUFFIX[:2]})
    return rng.sample(names, n)


def _streets(districts: list[Region]) -> dict[int, list[Region]]:
    out: dict[int, list[Region]] = {}
    for d in districts:
        streets = list(Region.objects.filter(parent=d, kind=RegionKind.STREET, active=True).order_by("code"))
        out[d.pk] = streets or [d]
    return out


def _holders(specialty: Specialty | None) -> list[int]:
    qs = Person.objects.available()
    if specialty is not None:
        qs = qs.filter(pk__in=Skill.objects.filter(trade__in=specialty.trades.all()).values("person_id"))
    return list(qs.order_by("pk").values_list("pk", flat=True))


def _callout(incident: Incident, need: Need, person_ids: list[int], when: dt.datetime) -> None:
    """A call-out for the need whose people all answered 可以去 (direct rows: past dates)."""
    co = CallOut.objects.create(
        incident=incident,
        need=need,
        specialty=need.specialty,
        district=need.district,
        status=CallOutStatus.SENT,
        total=len(person_ids),
        notified=len(person_ids),
    )
    CallOut.objects.filter(pk=co.pk).update(created=when)
    CallOutAnswer.objects.bulk_create(
        [
            CallOutAnswer(
                callout=co,
                person_id=pid,
                answer=Answer.YES,
                notified_at=when,
                answered_at=when + dt.timedelta(minutes=10 + i % 30),
            )
            for i, pid in enumerate(person_ids)
        ]
    )


def _done(need: Need, pid: int, day: dt.date, problems: int, machines: int, served: int, notes: str = "") -> Dispatch:
    return Dispatch(
        need=need,
        person_id=pid,
        status=DispatchStatus.DONE,
        dispatched_at=_at(day, 8),
        checked_in_at=_at(day, 9, 15),
        checked_out_at=_at(day, 17, 30),
        problems_solved=problems,
        machines_repaired=machines,
        people_served=served,
        notes=notes,
    )


def _close(incident: Incident, ended: dt.datetime) -> None:
    Need.objects.filter(incident=incident).exclude(status=NeedStatus.CLOSED).update(status=NeedStatus.COVERED)
    Incident.objects.filter(pk=incident.pk).update(status=IncidentStatus.CLOSED, ended=ended)


def _activities(
    rng: random.Random, incident: Incident, groups: list[tuple[Team, dt.date, Region, list[Dispatch], str]]
) -> int:
    """One confirmed activity per group of dispatches (a team's day out), its numbers their sums, hours
    for the people who went and are members of the team."""
    for team, day, region, dispatches, work in groups:
        activity = Activity.objects.create(
            team=team,
            incident=incident,
            date=day,
            region=region,
            place=dispatches[0].need.place if dispatches else "",
            work_done=work,
            people_served=sum(d.people_served for d in dispatches),
            enterprises_helped=len({d.need.enterprise for d in dispatches if d.need.enterprise}),
            problems_solved=sum(d.problems_solved for d in dispatches),
            machines_repaired=sum(d.machines_repaired for d in dispatches),
            status=ActivityStatus.CONFIRMED,
        )
        members = set(TeamMember.objects.filter(team=team).values_list("person_id", flat=True))
        ActivityHours.objects.bulk_create(
            [
                ActivityHours(activity=activity, person_id=pid, hours=Decimal(rng.choice([4, 6, 8])))
                for pid in sorted({d.person_id for d in dispatches} & members)
            ]
        )
    return len(groups)


def _team_for(teams: list[Team], district: Region, specialty: Specialty | None) -> Team | None:
    same = [t for t in teams if t.district_id == district.pk]
    for t in same:
        if specialty is not None and t.specialty_id == specialty.pk:
            return t
    return same[0] if same else (teams[0] if teams else None)


def _epidemic(rng: random.Random, districts: list[Region], streets: dict[int, list[Region]], teams: list[Team]) -> str:
    craftsmen, enterprises = 280 + rng.randrange(3, 9), 150 + rng.randrange(2, 8)
    problems, served = 300 + rng.randrange(10, 40), 12000 + rng.randrange(100, 900)
    pool = _holders(None)
    people = rng.sample(pool, craftsmen)
    incident = incidents.open_incident(
        actor=None,
        title=EPIDEMIC_TITLE,
        kind=IncidentKind.EPIDEMIC,
        started=_at(dt.date(2020, 2, 10), 9),
        description="服务防疫一线、助力复工复产复销：劳模工匠进企业、进社区、进农村",
        areas=districts,
    )
    specialties = list(Specialty.objects.filter(active=True).order_by("sort", "pk"))
    names = _enterprises(rng, enterprises)
    needs: list[Need] = []
    for name in names:
        district = rng.choice(districts)
        specialty = rng.choice(specialties)
        needs.append(
            incidents.create_need(
                actor=None,
                incident=incident,
                region=rng.choice(streets[district.pk]),
                place=name,
                enterprise=name,
                specialty=specialty,
                people_needed=1,
                description="复工复产技术帮扶",
            )
        )
    # every craftsman goes at least once; the rest of the visits go to whoever the need drew
    visits: list[tuple[Need, int]] = [(needs[i % len(needs)], pid) for i, pid in enumerate(people)]
    for need in needs[len(people) :]:
        visits.append((need, rng.choice(people)))
    for need in rng.sample(needs, 40):
        visits.append((need, rng.choice(people)))
    by_need: dict[int, list[int]] = {}
    for need, pid in visits:
        if pid not in by_need.setdefault(need.pk, []):
            by_need[need.pk].append(pid)
    visits = [(need, pid) for need in needs for pid in by_need.get(need.pk, [])]
    p_parts, s_parts = _split(rng, problems, len(visits)), _split(rng, served, len(visits), low=10)
    start = dt.date(2020, 2, 17)
    rows: list[Dispatch] = []
    for i, (need, pid) in enumerate(visits):
        day = start + dt.timedelta(days=rng.randrange(100))
        rows.append(_done(need, pid, day, p_parts[i], 0, s_parts[i], "防疫物资指导、设备调试、复工技术咨询"))
    for need in needs:
        _callout(incident, need, by_need[need.pk], _at(start, 8))
        Need.objects.filter(pk=need.pk).update(people_needed=len(by_need[need.pk]))
    Dispatch.objects.bulk_create(rows)
    # one activity per district and month: the teams' days out
    groups: dict[tuple[int, int], list[Dispatch]] = {}
    for d in rows:
        groups.setdefault((d.need.district_id, d.dispatched_at.month), []).append(d)
    by_pk = {r.pk: r for r in districts}
    acts = _activities(
        rng,
        incident,
        [
            (team, _dispatch_day(ds), by_pk[did], ds, "复工复产技术帮扶、防疫设备调试")
            for (did, _month), ds in sorted(groups.items())
            if (team := _team_for(teams, by_pk[did], None)) is not None
        ],
    )
    _close(incident, _at(dt.date(2020, 6, 30), 18))
    return (
        f"epidemic {craftsmen} craftsmen, {enterprises} enterprises, {problems} problems, {served} served,"
        f" {acts} activities"
    )


def _dispatch_day(ds: list[Dispatch]) -> dt.date:
    return min(d.dispatched_at for d in ds).astimezone(TZ).date()


def _typhoon(rng: random.Random, districts: list[Region], streets: dict[int, list[Region]], teams: list[Team]) -> str:
    n_acts, enterprises = 26, 40 + rng.randrange(2, 7)
    pumps, machines = 60 + rng.randrange(2, 8), 500 + rng.randrange(10, 60)
    motors = 10 + rng.randrange(2, 6)
    dongqiao = Region.objects.filter(name="洞桥镇").first()
    hit = [d for d in districts if d.name in ("海曙区", "鄞州区", "江北区", "奉化区", "余姚市")] or districts[:3]
    if dongqiao is not None and dongqiao.parent not in hit and dongqiao.parent is not None:
        hit.append(dongqiao.parent)
    incident = incidents.open_incident(
        actor=None,
        title=TYPHOON_TITLE,
        kind=IncidentKind.TYPHOON,
        started=_at(dt.date(2021, 7, 25), 6),
        description="强台风“烟花”登陆浙江，部分地区积水上涨：进企业、进社区、进村庄，抢修设备、排水复产",
        areas=hit,
    )
    electric = Specialty.objects.get(code="electric")
    repair = Specialty.objects.filter(code="repair").first() or electric
    electricians, repairers = _holders(electric), _holders(repair)
    # the pumps: held by district unions, lent out to the flooded places and all returned
    items = []
    for region in hit:
        items.append(
            EquipmentItem.objects.create(
                name="排水泵",
                kind="pump",
                owner=f"{region.name}总工会",
                place=f"{region.name}应急物资仓库",
                district=region,
                count_held=20,
            )
        )
    apache_region = dongqiao or streets[hit[0].pk][0]
    apache = incidents.create_need(
        actor=None,
        incident=incident,
        region=apache_region,
        place=APACHE,
        enterprise=APACHE,
        specialty=electric,
        people_needed=5,
        urgency=Urgency.CRITICAL,
        description="厂房进水，大部分机器设备被水浸泡损坏",
    )
    needs = [apache]
    for name in _enterprises(rng, enterprises - 1):
        district = rng.choice(hit)
        needs.append(
            incidents.create_need(
                actor=None,
                incident=incident,
                region=rng.choice(streets[district.pk]),
                place=name,
                enterprise=name,
                specialty=rng.choice([electric, repair]),
                people_needed=2 + rng.randrange(3),
                equipment="排水泵",
                equipment_count=1,
                urgency=rng.choice([Urgency.URGENT, Urgency.CRITICAL]),
                description="厂区积水，设备进水待抢修",
            )
        )
    # 26 activities: the Apache rescue is one; the other needs share the other 25 (each a team's day out)
    days = [dt.date(2021, 7, 26) + dt.timedelta(days=i) for i in range(12)]
    buckets: list[list[Need]] = [[apache]] + [[] for _ in range(n_acts - 1)]
    others = needs[1:]
    rng.shuffle(others)
    for i, need in enumerate(others):
        buckets[1 + i % (n_acts - 1)].append(need)
    apache_people = rng.sample(electricians, 5)
    rows: list[Dispatch] = []
    groups = []
    m_parts = _split(rng, machines - motors, sum(n.people_needed for n in others), low=1)
    motor_parts = _split(rng, motors, 5, low=1)
    for i, pid in enumerate(apache_people):
        rows.append(_done(apache, pid, dt.date(2021, 7, 27), 2, motor_parts[i], 40, "进水电动机现场拆解、烘干、维修"))
    k = 0
    busy_day: dict[tuple[int, dt.date], bool] = {}
    for b, bucket in enumerate(buckets):
        day = dt.date(2021, 7, 27) if b == 0 else days[b % len(days)]
        group: list[Dispatch] = [r for r in rows if r.need_id == apache.pk] if b == 0 else []
        for need in bucket[1:] if b == 0 else bucket:
            pool = electricians if need.specialty_id == electric.pk else repairers
            chosen: list[int] = []
            for pid in rng.sample(pool, min(len(pool), need.people_needed * 4)):
                if not busy_day.get((pid, day)) and pid not in apache_people:
                    chosen.append(pid)
                    busy_day[(pid, day)] = True
                if len(chosen) == need.people_needed:
                    break
            for pid in chosen:
                served = 10 + rng.randrange(50)
                d = _done(need, pid, day, 1 + rng.randrange(3), m_parts[k], served, "设备抢修、排水复产")
                k += 1
                rows.append(d)
                group.append(d)
        if group:
            district = group[0].need.district
            team = _team_for(teams, district, group[0].need.specialty)
            if team is not None:
                groups.append((team, day, group[0].need.region, group, "台风“烟花”灾后抢修、排水复产"))
    # parts not used (a need found fewer people than it asked for) go to the last dispatch
    if k < len(m_parts) and rows:
        rows[-1].machines_repaired += sum(m_parts[k:])
    Dispatch.objects.bulk_create(rows)
    for need in needs:
        pids = [r.person_id for r in rows if r.need_id == need.pk]
        _callout(incident, need, pids, _at(dt.date(2021, 7, 26), 7))
    # pumps: one or two for every flooded enterprise, all returned
    per_need = _split(rng, pumps, len(others), low=1)
    loans = []
    by_district = {it.district_id: it for it in items}
    for need, n in zip(others, per_need, strict=True):
        item = by_district.get(need.district_id, items[0])
        lent = _at(dt.date(2021, 7, 26), 10)
        loans.append(
            EquipmentLoan(
                item=item, need=need, count=n, returned=n, lent_at=lent, returned_at=lent + dt.timedelta(days=5)
            )
        )
    EquipmentLoan.objects.bulk_create(loans)
    acts = _activities(rng, incident, groups)
    _close(incident, _at(dt.date(2021, 8, 10), 18))
    return (
        f"typhoon {acts} activities, {pumps} pumps, {enterprises} enterprises, {machines} machines,"
        f" {APACHE} 5 electricians {motors} motors"
    )


def _open(rng: random.Random, districts: list[Region], streets: dict[int, list[Region]]) -> str:
    """An open incident: some needs covered and people on site, others still open, equipment out."""
    hit = districts[:3]
    incident = incidents.open_incident(
        actor=None,
        title=OPEN_TITLE,
        kind=IncidentKind.TYPHOON,
        started=dt.datetime.now(tz=TZ) - dt.timedelta(hours=6),
        description="台风过境，部分企业厂区积水",
        areas=hit,
    )
    electric = Specialty.objects.get(code="electric")
    pool = _holders(electric)
    busy = set(Dispatch.objects.filter(status__in=ops.ACTIVE).values_list("person_id", flat=True))
    pool = [p for p in pool if p not in busy]
    generators = EquipmentItem.objects.create(
        name="发电机",
        kind="generator",
        owner=f"{hit[0].name}总工会",
        place="应急物资仓库",
        district=hit[0],
        count_held=6,
    )
    pump = EquipmentItem.objects.filter(kind="pump", district=hit[0]).first() or EquipmentItem.objects.create(
        name="排水泵", kind="pump", owner=f"{hit[0].name}总工会", place="应急物资仓库", district=hit[0], count_held=20
    )
    names = _enterprises(rng, 8)
    dispatched = on_site = 0
    for i, name in enumerate(names):
        district = hit[i % len(hit)]
        need = incidents.create_need(
            actor=None,
            incident=incident,
            region=rng.choice(streets[district.pk]),
            place=name,
            enterprise=name,
            specialty=electric,
            people_needed=2,
            equipment="排水泵" if i % 2 == 0 else "",
            equipment_count=2 if i % 2 == 0 else 0,
            urgency=rng.choice([Urgency.NORMAL, Urgency.URGENT, Urgency.CRITICAL]),
            description="厂区积水，配电设备待检查",
        )
        if i >= 5 or len(pool) < 4:
            continue  # still open: nobody called yet
        called = [pool.pop(rng.randrange(len(pool))) for _ in range(4)]
        callout = CallOut.objects.create(
            incident=incident,
            need=need,
            specialty=electric,
            district=need.district,
            status=CallOutStatus.SENT,
            total=len(called),
            notified=len(called),
        )
        CallOutAnswer.objects.bulk_create([CallOutAnswer(callout=callout, person_id=pid) for pid in called])
        answers = list(CallOutAnswer.objects.filter(callout=callout).select_related("person").order_by("id"))
        # two can go, one cannot, one has not answered yet
        for row, answer in zip(answers[:3], [Answer.YES, Answer.YES, Answer.NO], strict=True):
            row.answer, row.answered_at = answer, dt.datetime.now(tz=TZ)
            row.reason = "人在外地" if answer == Answer.NO else ""
            row.save(update_fields=["answer", "answered_at", "reason"])
        if i >= 3:
            continue  # answered, not dispatched yet
        for j, row in enumerate(answers[:2]):
            d = ops.dispatch_person(actor=None, need=need, person=row.person)
            dispatched += 1
            if j == 0 or i == 0:
                ops.check_in(actor=None, dispatch=d)
                on_site += 1
        if need.equipment:
            ops.lend_equipment(actor=None, item=pump, need=need, count=2)
        if i == 1:
            ops.lend_equipment(actor=None, item=generators, need=need, count=1)
    return f"open incident: 8 needs, {dispatched} dispatched, {on_site} on site"


@transaction.atomic
def build(*, size: int, seed: int, stdout: Any) -> None:
    if Incident.objects.filter(title__in=[EPIDEMIC_TITLE, TYPHOON_TITLE]).exists():
        stdout.write("  volunteering.operations: incidents exist, left alone")
        return
    started = time.monotonic()
    rng = random.Random(seed + 1409)
    districts = list(Region.objects.filter(kind=RegionKind.DISTRICT, active=True).order_by("code"))
    if not districts or not Specialty.objects.filter(code="electric").exists():
        stdout.write("  volunteering.operations: no districts or specialties, skipped")
        return
    streets = _streets(districts)
    teams = list(Team.objects.select_related("district").order_by("pk"))
    lines = [
        _epidemic(rng, districts, streets, teams),
        _typhoon(rng, districts, streets, teams),
        _open(rng, districts, streets),
    ]
    for line in lines:
        stdout.write(f"  volunteering.operations: {line}")
    stdout.write(f"  volunteering.operations: ({time.monotonic() - started:.1f} s)")
