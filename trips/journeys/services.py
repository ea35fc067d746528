"""trips.journeys: every write (quotas, nominations, answers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import log_action
from core.errors import DomainError
from core.models import Region
from core.notify import notify_staff
from people.models import Person
from trips.journeys import selectors
from trips.journeys.rules import check_year_cap, eligible_people, rules_for
from trips.models import Batch, BatchQuota, Checklist, Nomination, NominationStatus, TravelHistory, TripRoute

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


def accepted_counts(batch: Batch) -> dict[int, int]:
    rows = (
        Nomination.objects.filter(batch=batch, status=NominationStatus.ACCEPTED)
        .values("district_id")
        .annotate(n=Count("id"))
    )
    return {r["district_id"]: r["n"] for r in rows}


@transaction.atomic
def set_quotas(*, actor: Any, batch: Batch, places: Mapping[int, int], exact: bool = False) -> None:
    """Set the district quotas (by hand or from ``split_quotas``); never below what a district has
    already accepted. ``exact``: the places must add up to the capacity (the staff page's rule)."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if any(n < 0 for n in places.values()):
        raise DomainError(_("名额不能为负数。"))
    total = sum(places.values())
    if total > batch.capacity:
        raise DomainError(_("各区县名额之和（%(t)s）超过批次名额（%(c)s）。") % {"t": total, "c": batch.capacity})
    if exact and total != batch.capacity:
        raise DomainError(_("各区县名额之和（%(t)s）须等于批次名额（%(c)s）。") % {"t": total, "c": batch.capacity})
    accepted = accepted_counts(batch)
    names = dict(Region.objects.filter(pk__in=accepted).values_list("pk", "name"))
    for district_id, n in accepted.items():
        if places.get(district_id, 0) < n:
            raise DomainError(
                _("%(d)s已有 %(n)s 人确认参加，名额不能少于此数。") % {"d": names.get(district_id, ""), "n": n}
            )
    for district_id, n in places.items():
        BatchQuota.objects.update_or_create(batch=batch, district_id=district_id, defaults={"places": n})
    log_action(actor, "trips.quotas_set", batch, changes={str(k): [None, v] for k, v in places.items()})


def eligible_counts(districts: list[Region], year: int | None = None) -> dict[int, int]:
    """Per district: the available people, or (with ``year``) those the rules table admits that year."""
    people = Person.objects.available() if year is None else eligible_people(rules_for(year), year=year)
    rows = people.filter(district__in=districts).values("district_id").annotate(n=Count("id"))
    counts = {r["district_id"]: r["n"] for r in rows}
    return {d.pk: counts.get(d.pk, 0) for d in districts}


def split_by_eligible(*, actor: Any, batch: Batch, districts: list[Region]) -> dict[int, int]:
    """The capacity split by the number of eligible people per district (largest remainder)."""
    places = split_quotas(batch.capacity, eligible_counts(districts, batch.start_date.year))
    set_quotas(actor=actor, batch=batch, places=places, exact=True)
    return places


@transaction.atomic
def move_places(*, actor: Any, batch: Batch, source: Region, target: Region, places: int) -> None:
    """Move places from one district to another (city staff): the total stays the capacity."""
    if places <= 0:
        raise DomainError(_("调剂名额须为正整数。"), field="places")
    if source.pk == target.pk:
        raise DomainError(_("调出与调入区县不能相同。"), field="target")
    quotas = {
        q.district_id: q
        for q in BatchQuota.objects.select_for_update()
        .filter(batch=batch, district__in=[source, target])
        .order_by("district_id")
    }
    src = quotas.get(source.pk)
    have = src.places if src else 0
    taken = accepted_counts(batch).get(source.pk, 0)
    if have - places < taken:
        raise DomainError(
            _("%(d)s只能调出 %(n)s 个名额（已有 %(a)s 人确认参加）。")
            % {"d": source.name, "n": max(have - taken, 0), "a": taken},
            field="places",
        )
    assert src is not None
    src.places -= places
    src.save(update_fields=["places"])
    dst = quotas.get(target.pk) or BatchQuota(batch=batch, district=target, places=0)
    dst.places += places
    dst.save()
    log_action(
        actor,
        "trips.quotas_moved",
        batch,
        changes={source.name: [have, src.places], target.name: [dst.places - places, dst.places]},
    )


@transaction.atomic
def save_route(*, actor: Any, route: TripRoute) -> TripRoute:
    creating = route.pk is None
    route.save()
    log_action(actor, "trips.route_created" if creating else "trips.route_changed", route)
    return route


@transaction.atomic
def save_batch(*, actor: Any, batch: Batch) -> Batch:
    if batch.end_date < batch.start_date:
        raise DomainError(_("返回日期不能早于出发日期。"), field="end_date")
    if batch.departure_at and batch.departure_at.date() > batch.start_date:
        raise DomainError(_("出发时间不能晚于出发日期。"), field="departure_at")
    if batch.pk is not None:
        Batch.objects.select_for_update().get(pk=batch.pk)
        given = BatchQuota.objects.filter(batch=batch).aggregate(n=Sum("places"))["n"] or 0
        if batch.capacity < given:
            raise DomainError(
                _("批次名额不能少于已分配给各区县的名额之和（%(n)s），请先调整区县名额。") % {"n": given},
                field="capacity",
            )
        travellers = Nomination.objects.filter(batch=batch, status=NominationStatus.ACCEPTED).values("person")
        clash = (
            Nomination.objects.filter(status=NominationStatus.ACCEPTED, person__in=travellers)
            .exclude(batch=batch)
            .filter(batch__start_date__lte=batch.end_date, batch__end_date__gte=batch.start_date)
            .exists()
        )
        if clash:
            raise DomainError(_("改动后的日期与已确认参加者的其他批次重叠。"), field="start_date")
    creating = batch.pk is None
    batch.save()
    log_action(actor, "trips.batch_created" if creating else "trips.batch_changed", batch)
    return batch


def overlapping(nomination: Nomination) -> Nomination | None:
    """The person's accepted place on another batch whose dates overlap this one, if any."""
    b = nomination.batch
    return (
        Nomination.objects.filter(person=nomination.person, status=NominationStatus.ACCEPTED)
        .exclude(batch=b)
        .filter(batch__start_date__lte=b.end_date, batch__end_date__gte=b.start_date)
        .select_related("batch")
        .first()
    )


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
        other = overlapping(nomination)
        if other is not None:
            raise DomainError(
                _("该劳模已确认参加“%(b)s”（%(s)s至%(e)s），与本批次日期重叠。")
                % {"b": other.batch.name, "s": other.batch.start_date, "e": other.batch.end_date}
            )
        year = nomination.batch.start_date.year
        clash = (
            Nomination.objects.filter(person=nomination.person, status=NominationStatus.ACCEPTED)
            .filter(batch__start_date__year=year)
            .exists()
        )
        if clash:
            if not rules_for(year).twice_a_year:
                raise DomainError(_("该劳模今年已参加其他批次疗休养。"))
            check_year_cap(nomination)
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


# --- pre-departure checklist: opens 72 h and locks 24 h before departure ---------------------------

OPENS_BEFORE = dt.timedelta(hours=72)
LOCKS_BEFORE = dt.timedelta(hours=24)


def departure_moment(batch: Batch) -> dt.datetime:
    """The departure time, or 08:00 on the start date when none is set."""
    if batch.departure_at is not None:
        return batch.departure_at
    return timezone.make_aware(dt.datetime.combine(batch.start_date, dt.time(8, 0)))


def checklist_window(batch: Batch, now: dt.datetime | None = None) -> str:
    """``not_open`` / ``open`` / ``locked`` at ``now``."""
    now = now or timezone.now()
    leave = departure_moment(batch)
    if now < leave - OPENS_BEFORE:
        return "not_open"
    if now < leave - LOCKS_BEFORE:
        return "open"
    return "locked"


def can_board(nomination: Nomination) -> bool:
    sheet = getattr(nomination, "checklist", None)
    return bool(sheet and (sheet.cleared or sheet.override_reason))


@transaction.atomic
def save_checklist(*, actor: Any, nomination: Nomination, done: list[str], now: dt.datetime | None = None) -> Checklist:
    """The district official ticks a traveller's items; cleared when every item of the batch is ticked."""
    nomination = Nomination.objects.select_related("batch").select_for_update().get(pk=nomination.pk)
    batch = nomination.batch
    if nomination.status != NominationStatus.ACCEPTED:
        raise DomainError(_("只有确认参加的人员才需要出发前核查。"))
    window = checklist_window(batch, now)
    leave = timezone.localtime(departure_moment(batch))
    if window == "not_open":
        raise DomainError(
            _("核查表于出发前72小时开放（%(t)s起）。") % {"t": (leave - OPENS_BEFORE).strftime("%Y-%m-%d %H:%M")}
        )
    if window == "locked":
        raise DomainError(
            _("核查表已于出发前24小时（%(t)s）锁定，不能再修改；未核查完毕者须由市总特许登车。")
            % {"t": (leave - LOCKS_BEFORE).strftime("%Y-%m-%d %H:%M")}
        )
    items = list(batch.checklist_items)
    ticked = [i for i in items if i in set(done)]
    sheet, _created = Checklist.objects.get_or_create(nomination=nomination)
    before = list(sheet.done)
    sheet.done = ticked
    sheet.cleared = set(items) <= set(ticked)
    sheet.save()
    log_action(actor, "trips.checklist_saved", nomination, changes={"done": [before, ticked]})
    return sheet


@transaction.atomic
def override_boarding(*, actor: Any, nomination: Nomination, reason: str) -> Checklist:
    """The city lets an uncleared traveller board, with a reason."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("请填写特许登车的理由。"), field="reason")
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != NominationStatus.ACCEPTED:
        raise DomainError(_("只有确认参加的人员才能特许登车。"))
    sheet, _created = Checklist.objects.get_or_create(nomination=nomination)
    if sheet.cleared:
        raise DomainError(_("该人员已核查完毕，无需特许。"))
    sheet.override_reason = reason[:200]
    sheet.save(update_fields=["override_reason", "updated"])
    log_action(actor, "trips.boarding_override", nomination, changes={"override_reason": ["", sheet.override_reason]})
    return sheet


def uncleared(batch: Batch) -> Any:
    """Accepted travellers not cleared and not overridden."""
    return (
        Nomination.objects.filter(batch=batch, status=NominationStatus.ACCEPTED)
        .exclude(checklist__cleared=True)
        .exclude(checklist__override_reason__gt="")
    )


@transaction.atomic
def flag_uncleared(*, now: dt.datetime | None = None) -> int:
    """At the lock, tell the city (in-app) of each batch with travellers not cleared; once per batch."""
    now = now or timezone.now()
    flagged = 0
    due = Batch.objects.select_for_update().filter(uncleared_flagged_at__isnull=True, start_date__gte=now.date())
    for batch in due:
        if checklist_window(batch, now) != "locked" or now >= departure_moment(batch):
            continue
        count = uncleared(batch).count()
        batch.uncleared_flagged_at = now
        batch.save(update_fields=["uncleared_flagged_at"])
        if count:
            link = reverse("trips:journeys_checklist", args=[batch.pk])
            notify_staff(
                perm="trips.journeys_plan",
                region=None,
                subject=_("疗休养出发前核查未完成"),
                body=_("%(b)s：%(n)s 人未核查完毕，未经市总特许不能登车。") % {"b": batch.name, "n": count},
                link=link,
                related=batch,
            )
            flagged += 1
    return flagged
