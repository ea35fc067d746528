"""trips.journeys: deterministic demo data (called by ``trips/demo.py``)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Count
from django.utils import timezone

from core.idnumber import check_char
from core.models import Region, RegionKind
from people.models import Person
from trips.journeys import rules_demo, services, travel
from trips.models import Batch, Checklist, Nomination, TripRoute

ROUTES = [
    ("象山海滨疗休养", "象山", 5, "海景酒店", 320),
    ("丽水生态疗休养", "丽水", 5, "山居民宿", 280),
    ("仙居神仙居疗休养", "仙居", 4, "景区度假酒店", 300),
    ("舟山海岛疗休养", "舟山", 5, "海岛度假村", 340),
    ("徐州红色研学疗休养", "徐州", 6, "市区酒店", 300),
]


def build(*, size: int, seed: int, stdout: Any) -> None:
    rng = random.Random(seed + 8014)
    routes = []
    for name, dest, days, lodging, cost in ROUTES:
        programme = "\n".join(f"第{d}天：{dest}参观休养" for d in range(1, days + 1))
        r, _c = TripRoute.objects.get_or_create(
            name=name,
            defaults={
                "destination": dest,
                "days": days,
                "lodging": lodging,
                "cost_per_day": cost,
                "programme": programme,
            },
        )
        routes.append(r)
    if Batch.objects.exists():
        return
    districts = list(Region.objects.filter(kind=RegionKind.DISTRICT).order_by("code"))
    counts = dict(
        Person.objects.available().values_list("district_id").annotate(n=Count("id")).values_list("district_id", "n")
    )
    eligible = {d.pk: counts.get(d.pk, 0) for d in districts}
    starts = [dt.date(2021, m, 10 + rng.randint(0, 10)) for m in (4, 5, 6, 9, 10)]
    today = timezone.localdate()
    nxt = (today.replace(day=1) + dt.timedelta(days=40)).replace(day=15)
    plan = [(routes[i % 5], s, 45) for i, s in enumerate(starts)] + [(routes[0], nxt, 40)]
    for i, (route, start, capacity) in enumerate(plan, start=1):
        batch = Batch.objects.create(
            route=route,
            name=f"{start.year}年第{i}批 {route.destination}",
            start_date=start,
            end_date=start + dt.timedelta(days=route.days - 1),
            capacity=capacity,
            departure="市总工会门口",
            departure_at=timezone.make_aware(dt.datetime.combine(start, dt.time(7, 30))),
            escorts="市总工会 疗休养工作人员",
            checklist_items=["健康声明", "紧急联系人", "随身药品", "保险", "身份证核验"],
        )
        services.set_quotas(actor=None, batch=batch, places=services.split_quotas(capacity, eligible))
        for d in districts:
            if batch.quotas.filter(district=d, places__gt=0).exists():
                services.nominate_district(actor=None, batch=batch, district=d)
        if start.year == 2021:
            for n in Nomination.objects.filter(batch=batch, status="invited").order_by("id"):
                decline = rng.random() < 0.1
                services.answer_nomination(actor=None, nomination=n, accept=not decline, reason="身体原因")
        else:
            _coming_batch(batch, rng)
    rules_demo.build(seed=seed)
    travellers = Nomination.objects.filter(status="accepted").count()
    stdout.write(f"trips.journeys: {Batch.objects.count()} batches, {travellers} travellers\n")


def _coming_batch(batch: Batch, rng: random.Random) -> None:
    """Next month's batch as a district office sees it weeks before: most invited have answered
    (a few declined), some bring a spouse at their own cost, half have given their diet and an
    emergency contact, rooms and seats are proposed, and half the checklists are already done (the
    demo writes those rows as if the districts had checked early: the page opens them 72 h before)."""
    for n in Nomination.objects.filter(batch=batch, status="invited").order_by("id"):
        roll = rng.random()
        if roll < 0.7:
            services.answer_nomination(actor=None, nomination=n, accept=True)
        elif roll < 0.78:
            services.answer_nomination(actor=None, nomination=n, accept=False, reason="家中有事")
    accepted = list(Nomination.objects.filter(batch=batch, status="accepted").select_related("person").order_by("id"))
    for i, n in enumerate(accepted):
        if rng.random() < 0.15:
            first17 = (
                f"330203{1960 + rng.randrange(15)}0{rng.randrange(1, 10)}1{rng.randrange(10)}{rng.randrange(100, 999)}"
            )
            travel.add_companion(
                actor=None,
                nomination=n,
                name=n.person.name[0] + rng.choice(["秀英", "桂芳", "建国", "海燕", "国强"]),
                relation="spouse",
                id_number=first17 + check_char(first17),
                mobile=f"139{rng.randrange(10**8):08d}",
                paid="1500.00",
            )
        if i % 2 == 0:
            travel.save_details(
                actor=None,
                nomination=n,
                diet=rng.choice(["", "", "清淡", "不吃辣", "糖尿病饮食", "素食"]),
                emergency_name=n.person.name[0] + "小明",
                emergency_relation="子女",
                emergency_mobile=f"137{rng.randrange(10**8):08d}",
            )
            items = list(batch.checklist_items)
            Checklist.objects.update_or_create(nomination=n, defaults={"done": items, "cleared": True})
    if accepted:
        travel.propose_places(actor=None, batch=batch, bus_capacity=45)
