"""casework.hardship: deterministic demo data (called by ``casework/demo.py``): hardship files across
districts and categories (most filed, some on the way, a few closed, with help), a year of visits and
a Spring Festival visit plan in progress. Its own random stream: it changes no earlier draw."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from casework.hardship import reference
from casework.models.hardship import (
    STEP_ORDER,
    CareVisit,
    CareVisitItem,
    FileEvent,
    HardshipFile,
    HardshipTerm,
    HelpRecord,
    Occasion,
    PlanTarget,
    PovertyLine,
    Recheck,
    Step,
    TermKind,
    VisitPlan,
)
from core.models import Region
from people.models import Person, PersonStatus

SEED_OFFSET = 1201


def build(*, size: int, seed: int, stdout: Any) -> None:
    if HardshipFile.objects.exists():
        return
    reference.load()
    rng = random.Random(seed + SEED_OFFSET)
    today = timezone.localdate()
    people = list(
        Person.objects.filter(merged_into__isnull=True, status__in=[PersonStatus.WORKING, PersonStatus.RETIRED])
        .order_by("id")
        .values_list("pk", "district_id")
    )
    if not people:
        return
    categories = list(HardshipTerm.objects.filter(kind=TermKind.CATEGORY))
    causes = list(HardshipTerm.objects.filter(kind=TermKind.CAUSE))
    districts = Region.objects.filter(pk__in={d for _p, d in people})
    for d in districts:
        for year in (today.year - 1, today.year):
            PovertyLine.objects.get_or_create(
                district=d,
                year=year,
                defaults={"monthly": Decimal(1100 + 60 * (year - 2025) + rng.randrange(0, 5) * 20)},
            )
    chosen = rng.sample(people, min(len(people), max(12, size // 40)))
    files = []
    for n, (pid, did) in enumerate(chosen, 1):
        applied = today - dt.timedelta(days=rng.randrange(30, 900))
        r = rng.random()
        step = Step.FILED if r < 0.8 else rng.choice(STEP_ORDER[:-1])
        f = HardshipFile.objects.create(
            person_id=pid,
            district_id=did,
            number=f"KN{applied.year}{n:05d}",
            category=rng.choice(categories),
            summary="家庭困难，需要帮扶",
            step=step,
            applied_on=applied,
            filed_on=applied + dt.timedelta(days=40)
            if step == Step.FILED and applied + dt.timedelta(days=40) < today
            else None,
        )
        if f.step == Step.FILED and f.filed_on is None:
            f.step = Step.APPROVAL
            f.save(update_fields=["step"])
        f.causes.set(rng.sample(causes, 2))
        FileEvent.objects.create(file=f, step=Step.APPLY, action="申请", note="")
        files.append(f)
        if f.filed_on:
            for k in range(rng.randrange(1, 4)):
                HelpRecord.objects.create(
                    file=f,
                    kind=rng.choice(["cash", "cash", "goods", "medical", "schooling"]),
                    amount=Decimal(rng.choice([500, 800, 1000, 1500, 2000])),
                    given_on=min(today, f.filed_on + dt.timedelta(days=30 + 120 * k)),
                    source=rng.choice(["市总工会帮扶资金", "劳模关爱基金", "社会捐赠"]),
                    giver="市劳模工匠协会",
                )
            due = (
                f.filed_on.replace(year=f.filed_on.year + 1)
                if not (f.filed_on.month == 2 and f.filed_on.day == 29)
                else f.filed_on + dt.timedelta(days=365)
            )
            Recheck.objects.create(file=f, year=due.year, due=due)
            if rng.random() < 0.1:
                f.status, f.closed_on, f.close_reason = (
                    "closed",
                    today - dt.timedelta(days=rng.randrange(1, 60)),
                    "relieved",
                )
                f.save(update_fields=["status", "closed_on", "close_reason"])
                Recheck.objects.filter(file=f).delete()
    occasions = [o.value for o in Occasion]
    visits = []
    for _i in range(max(30, size // 8)):
        pid, did = rng.choice(people)
        visits.append(
            CareVisit(
                person_id=pid,
                district_id=did,
                occasion=rng.choice(occasions),
                visited_on=today - dt.timedelta(days=rng.randrange(0, 365)),
                notes="慰问并了解近况",
            )
        )
    CareVisit.objects.bulk_create(visits)
    CareVisitItem.objects.bulk_create(
        [
            CareVisitItem(visit=v, kind="cash", description="慰问金", amount=Decimal(rng.choice([300, 500, 1000])))
            for v in visits
        ]
    )
    plan = VisitPlan.objects.create(
        title=f"{today.year}年春节走访困难劳模",
        occasion=Occasion.FESTIVAL,
        starts_on=today - dt.timedelta(days=20),
        due=today + dt.timedelta(days=30),
    )
    open_filed = [f for f in files if f.status == "open" and f.step == Step.FILED]
    targets = [PlanTarget(plan=plan, person_id=f.person_id, district_id=f.district_id) for f in open_filed]
    PlanTarget.objects.bulk_create(targets)
    for t in PlanTarget.objects.filter(plan=plan).order_by("id"):
        if rng.random() < 0.55:
            v = CareVisit.objects.create(
                person_id=t.person_id,
                district_id=t.district_id,
                occasion=Occasion.FESTIVAL,
                visited_on=today - dt.timedelta(days=rng.randrange(0, 20)),
                notes="春节慰问",
            )
            t.visit = v
            t.save(update_fields=["visit"])
    stdout.write(
        f"  casework.hardship: {len(files)} hardship files, {CareVisit.objects.count()} visits, 1 visit plan\n"
    )
