"""Demo census: 2025 (closed: every one of the registry's people reached, as in the seed's
"完成全市2293名市级以上劳模情况调查") and 2026 (open, partly done), built from the registry the people
demo created. Deterministic per seed."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import extensions as core_points
from core.models import Actor, User
from people.models import Person, PersonStatus

from . import services
from .models import Campaign, CensusRecord, ChangeProposal, ProposedChange, RecordState, Source

UNREACHABLE_REASONS = ["电话停机", "长期在外地居住", "多次联系无人接听", "地址已变更，暂未找到"]


def _actor() -> Any:
    return User.objects.filter(username="city").first()


@core_points.demo_data
@transaction.atomic
def build(*, size: int, seed: int, stdout: Any) -> None:
    if Campaign.objects.filter(year__in=[2025, 2026]).exists():
        stdout.write("  census: demo campaigns exist, skipped")
        return
    people = Person.objects.active().exclude(status__in=[PersonStatus.DECEASED, PersonStatus.MOVED_AWAY])
    if not people.exists():
        stdout.write("  census: no people in the registry, skipped")
        return
    rng = random.Random(seed)
    actor = _actor()
    past = services.open_campaign(actor=actor, year=2025, title="2025年度劳模工匠普查", deadline=dt.date(2025, 6, 30))
    _finish_past(past, actor, rng)
    past = services.close_campaign(actor=actor, campaign=past)
    current = services.open_campaign(
        actor=actor, year=2026, title="2026年度劳模工匠普查", deadline=dt.date(2026, 12, 31)
    )
    _partly_done(current, actor, rng)
    stdout.write(f"  census: 2025 {past.summary['text']}; 2026 open for {current.records.count()} people")


def _finish_past(campaign: Campaign, actor: Actor, rng: random.Random) -> None:
    """The 2025 census reached everyone in the registry (2,293 at the default size). The deaths
    and moves out of the city it found are what today's registry records: those people get
    records too (a campaign opened today leaves them out), deceased, or corrected to 迁出. Other
    corrections make about 1.7% in all (38 of 2,293), recorded as reviewed proposals without
    touching today's registry; the rest confirmed."""
    now = timezone.now()
    gone = (
        Person.objects.active()
        .filter(status__in=[PersonStatus.DECEASED, PersonStatus.MOVED_AWAY])
        .exclude(census_records__campaign=campaign)
        .order_by("id")
    )
    dead = PersonStatus.DECEASED
    found = CensusRecord.objects.bulk_create(
        CensusRecord(
            campaign=campaign,
            person=person,
            district_id=person.district_id,
            street_id=person.region_id if person.region_id != person.district_id else None,
            state=RecordState.DECEASED if person.status == dead else RecordState.REVIEWED,
            reason="家属告知" if person.status == dead else "",
            corrected=person.status != dead,
            source=Source.STAFF,
            updated_at=now,
            updated_by=actor,
        )
        for person in gone
    )
    moved = [record for record in found if record.corrected]
    ids = list(campaign.records.filter(state=RecordState.PENDING).order_by("id").values_list("id", flat=True))
    rng.shuffle(ids)
    total = campaign.records.count()
    n_corrected = max(0, round(total * 38 / 2293) - len(moved))
    corrected, confirmed = ids[:n_corrected], ids[n_corrected:]
    CensusRecord.objects.filter(pk__in=confirmed).update(
        state=RecordState.CONFIRMED, source=Source.IMPORT, updated_at=now, updated_by=actor
    )

    def accepted(record: CensusRecord, field: str, label: str, before: str, after: str, value: Any) -> None:
        proposal = ChangeProposal.objects.create(
            record=record,
            source=rng.choice([Source.SELF, Source.STAFF, Source.IMPORT]),
            proposed_by=None,
            status=ChangeProposal.Status.DECIDED,
            decided_by=actor,
            decided_at=now,
        )
        ProposedChange.objects.create(
            proposal=proposal,
            field=field,
            label=label,
            before=before,
            after=after,
            value=value,
            decision=ProposedChange.Decision.ACCEPTED,
        )

    for record in moved:
        born = record.person.birth_date
        before = PersonStatus.RETIRED if born and born.year < 1966 else PersonStatus.WORKING
        accepted(record, "status", "状态", str(before.label), str(PersonStatus.MOVED_AWAY.label), "moved_away")
    for record in CensusRecord.objects.filter(pk__in=corrected).select_related("person"):
        mobile = record.person.mobile
        accepted(record, "mobile", "手机号", mobile, mobile, mobile)
    CensusRecord.objects.filter(pk__in=corrected).update(
        state=RecordState.REVIEWED, corrected=True, updated_at=now, updated_by=actor
    )


def _partly_done(campaign: Campaign, actor: Actor, rng: random.Random) -> None:
    """About 60% confirmed, a few unreachable, a handful of changes waiting for review."""
    records = list(campaign.records.select_related("person").order_by("id"))
    rng.shuffle(records)
    n = len(records)
    confirmed = records[: int(n * 0.6)]
    unreachable = records[int(n * 0.6) : int(n * 0.6) + max(1, n // 100)]
    proposals = records[int(n * 0.6) + max(1, n // 100) : int(n * 0.6) + max(1, n // 100) + min(12, max(1, n // 100))]
    now = timezone.now()
    CensusRecord.objects.filter(pk__in=[r.pk for r in confirmed]).update(
        state=RecordState.CONFIRMED, source=Source.STAFF, updated_at=now, updated_by=actor
    )
    for r in unreachable:
        CensusRecord.objects.filter(pk=r.pk).update(
            state=RecordState.UNREACHABLE, reason=rng.choice(UNREACHABLE_REASONS), updated_at=now, updated_by=actor
        )
    for i, r in enumerate(proposals):
        mobile = f"139{rng.randint(10000000, 99999999)}"
        services.propose_changes(
            actor=actor if i % 2 else None,
            record=r,
            data={"mobile": mobile, "address": f"{r.person.district.name}新地址{i + 1}号"},
            source=Source.STAFF if i % 2 else Source.SELF,
        )
