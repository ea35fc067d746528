"""trips.journeys: every write (quotas, nominations, answers)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import log_action
from core.errors import DomainError
from core.models import Region
from trips.journeys import selectors
from trips.models import Batch, BatchQuota, Nomination, NominationStatus, TravelHistory

WAITLIST_EXTRA = 5


def split_quotas(capacity: int, eligible: Mapping[int, int]) -> dict[int, int]:
    """Largest remainder: shares in proportion to ``eligible`` that add up to ``capacity``."""
    total = sum(eligible.values())
    if total <= 0 or capacity <= 0:
        return dict.fromkeys(eligible, 0)
    exact = {k: capacity * v / total for k, v in eligible.items()}
    result = {k: int(x) for k, x in exact.items()}
    left = capacity - sum(result.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - result[k]), k))[:left]:
        result[k] += 1
    return result


@transaction.atomic
def set_quotas(*, actor: Any, batch: Batch, places: Mapping[int, int]) -> None:
    if sum(places.values()) > batch.capacity:
        raise DomainError(_("各区县名额之和超过批次名额。"))
    for district_id, n in places.items():
        BatchQuota.objects.update_or_create(batch=batch, district_id=district_id, defaults={"places": n})
    log_action(actor, "trips.quotas_set", batch, changes={str(k): [None, v] for k, v in places.items()})


@transaction.atomic
def nominate_district(*, actor: Any, batch: Batch, district: Region) -> int:
    quota = BatchQuota.objects.select_for_update().filter(batch=batch, district=district).first()
    if quota is None or quota.places == 0:
        raise DomainError(_("该区县在本批次没有名额。"))
    if Nomination.objects.filter(batch=batch, district=district).exists():
        raise DomainError(_("该区县已推荐过人选。"))
    rows = selectors.priority_list(district=district, year=batch.start_date.year, limit=quota.places + WAITLIST_EXTRA)
    made = 0
    for rank, row in enumerate(rows, start=1):
        Nomination.objects.create(
            batch=batch,
            person=row.person,
            district=district,
            rank=rank,
            reason=row.reason,
            status=NominationStatus.INVITED if rank <= quota.places else NominationStatus.WAITLIST,
        )
        made += 1
    log_action(actor, "trips.nominated", batch, changes={"district": [None, district.name], "count": [None, made]})
    return made


@transaction.atomic
def answer_nomination(*, actor: Any, nomination: Nomination, accept: bool, reason: str = "") -> Nomination:
    # The quota row is the lock: two answers for the last place of a district queue here.
    quota = BatchQuota.objects.select_for_update().get(batch=nomination.batch, district=nomination.district)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != NominationStatus.INVITED:
        raise DomainError(_("这份邀请已经答复过或不在邀请中。"))
    if accept:
        taken = Nomination.objects.filter(
            batch=nomination.batch, district=nomination.district, status=NominationStatus.ACCEPTED
        ).count()
        if taken >= quota.places:
            raise DomainError(_("本区县名额已满。"))
        year = nomination.batch.start_date.year
        clash = (
            Nomination.objects.filter(person=nomination.person, status=NominationStatus.ACCEPTED)
            .filter(batch__start_date__year=year)
            .exists()
        )
        if clash:
            raise DomainError(_("该劳模今年已参加其他批次疗休养。"))
        nomination.status = NominationStatus.ACCEPTED
        nomination.save(update_fields=["status"])
        hist, _created = TravelHistory.objects.get_or_create(
            person=nomination.person, defaults={"district_id": nomination.district_id}
        )
        hist.last_trip_year = max(hist.last_trip_year or 0, year)
        hist.trips += 1
        hist.save()
    else:
        if not reason.strip():
            raise DomainError(_("请填写不参加的原因。"), field="reason")
        nomination.status = NominationStatus.DECLINED
        nomination.decline_reason = reason.strip()
        nomination.save(update_fields=["status", "decline_reason"])
        nxt = (
            Nomination.objects.select_for_update()
            .filter(batch=nomination.batch, district=nomination.district, status=NominationStatus.WAITLIST)
            .order_by("rank")
            .first()
        )
        if nxt is not None:
            nxt.status = NominationStatus.INVITED
            nxt.save(update_fields=["status"])
    log_action(actor, "trips.answered", nomination, changes={"status": [None, nomination.status]})
    return nomination
