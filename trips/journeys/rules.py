"""trips.journeys: eligibility rules and spending caps as data (the rules table), costs actually spent,
incidents during the trip and travellers' feedback. Reads and writes of the triprules part."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import log_action
from core.errors import DomainError
from people.models import Person, PersonStatus
from trips.models import (
    Batch,
    BatchCost,
    BatchIncident,
    Nomination,
    NominationStatus,
    TravelHistory,
    TripFeedback,
    TripRules,
    TripStatus,
)

#: feedback can be changed until this many days after the batch comes back
FEEDBACK_DAYS = 30


def rules_for(year: int) -> TripRules:
    """The year's row, else the default row (no year), else the built-in default (unsaved)."""
    rows = {r.year: r for r in TripRules.objects.filter(Q(year=year) | Q(year__isnull=True))}
    return rows.get(year) or rows.get(None) or TripRules()


def eligible_people(rules: TripRules, *, year: int) -> QuerySet[Person]:
    """Available people admitted by ``rules`` for ``year`` (district not applied)."""
    qs = Person.objects.available()
    if rules.gap_years:
        qs = qs.exclude(travel_history__last_trip_year__gte=year - rules.gap_years + 1)
    statuses = set(rules.statuses or [])
    if statuses != {c.value for c in TripStatus}:
        q = Q(pk__in=[])
        if TripStatus.FRONT_LINE in statuses:
            q |= Q(status=PersonStatus.WORKING, travel_history__front_line=True)
        if TripStatus.WORKING in statuses:
            q |= Q(status=PersonStatus.WORKING) & ~Q(travel_history__front_line=True)
        if TripStatus.RETIRED in statuses:
            q |= Q(status=PersonStatus.RETIRED)
        qs = qs.filter(q)
    if rules.levels:
        qs = qs.filter(top_level__in=rules.levels)
    # Age is the age reached in the year: born in ``year - age``.
    if rules.min_age is not None:
        qs = qs.filter(birth_date__year__lte=year - rules.min_age)
    if rules.max_age is not None:
        qs = qs.filter(birth_date__year__gte=year - rules.max_age)
    if rules.health == "exclude":
        qs = qs.exclude(travel_history__health_restricted=True)
    return qs


@transaction.atomic
def save_rules(*, actor: Any, rules: TripRules) -> TripRules:
    if rules.min_age is not None and rules.max_age is not None and rules.min_age > rules.max_age:
        raise DomainError(_("最低年龄不能大于最高年龄。"), field="min_age")
    if not rules.statuses:
        raise DomainError(_("请至少选择一种人员状态。"), field="statuses")
    if rules.cap_per_day is not None and rules.cap_per_year is not None and rules.cap_per_day > rules.cap_per_year:
        raise DomainError(_("每人每天费用上限不能高于每人每年费用上限。"), field="cap_per_day")
    same = TripRules.objects.filter(year=rules.year) if rules.year is not None else TripRules.objects.filter(year=None)
    if same.exclude(pk=rules.pk).exists():
        raise DomainError(
            _("已有默认规则，请编辑它。")
            if rules.year is None
            else _("%(y)s年已有规则，请编辑它。") % {"y": rules.year},
            field="year",
        )
    creating = rules.pk is None
    rules.save()
    log_action(actor, "trips.rules_created" if creating else "trips.rules_changed", rules)
    return rules


@transaction.atomic
def save_traveller_file(*, actor: Any, person: Person, front_line: bool, restricted: bool, note: str) -> TravelHistory:
    """The travel file: kept on the person's ``TravelHistory`` row, which the priority list joins anyway."""
    note = note.strip()
    if restricted and not note:
        raise DomainError(_("请填写健康限制的说明。"), field="health_note")
    if person.district_id is None:
        raise DomainError(_("该人员未登记所属区县，不能建立疗休养档案。"))
    sheet, _created = TravelHistory.objects.select_for_update().get_or_create(
        person=person, defaults={"district_id": person.district_id}
    )
    before = [sheet.front_line, sheet.health_restricted]
    sheet.front_line, sheet.health_restricted, sheet.health_note = front_line, restricted, note[:200]
    sheet.save()
    log_action(
        actor,
        "trips.traveller_file_saved",
        person,
        changes={"front_line": [before[0], front_line], "health_restricted": [before[1], restricted]},
    )
    return sheet


# --- spending caps ---------------------------------------------------------------------------------


def batch_days(batch: Batch) -> int:
    return (batch.end_date - batch.start_date).days + 1


@dataclass
class CapCheck:
    route_per_day: Decimal
    days: int
    per_person: Decimal  # route cost per day x days
    cap_day: Decimal | None
    cap_batch: Decimal | None  # cap per day x days
    cap_year: Decimal | None

    @property
    def over(self) -> bool:
        return bool(self.warnings)

    @property
    def warnings(self) -> list[str]:
        out = []
        if self.cap_batch is not None and self.per_person > self.cap_batch:
            out.append(
                _("每人费用 %(c)s 元（每天 %(d)s 元 × %(n)s 天）超过每人每天上限 %(cap)s 元（本批次合计 %(t)s 元）。")
                % {
                    "c": self.per_person,
                    "d": self.route_per_day,
                    "n": self.days,
                    "cap": self.cap_day,
                    "t": self.cap_batch,
                }
            )
        if self.cap_year is not None and self.per_person > self.cap_year:
            out.append(
                _("每人费用 %(c)s 元超过每人每年上限 %(cap)s 元。") % {"c": self.per_person, "cap": self.cap_year}
            )
        return out


def cap_check(batch: Batch) -> CapCheck:
    rules = rules_for(batch.start_date.year)
    days = batch_days(batch)
    per_day = Decimal(batch.route.cost_per_day)
    return CapCheck(
        route_per_day=per_day,
        days=days,
        per_person=(per_day * days).quantize(Decimal("0.01")),
        cap_day=rules.cap_per_day,
        cap_batch=(rules.cap_per_day * days).quantize(Decimal("0.01")) if rules.cap_per_day is not None else None,
        cap_year=rules.cap_per_year,
    )


def check_year_cap(nomination: Nomination) -> None:
    """A second trip in a year (when the rules allow it): the person's planned costs for the year's
    accepted batches and this one must stay within the cap per person per year."""
    batch = nomination.batch
    cap = rules_for(batch.start_date.year).cap_per_year
    if cap is None:
        return
    others = (
        Batch.objects.filter(
            nominations__person_id=nomination.person_id,
            nominations__status=NominationStatus.ACCEPTED,
            start_date__year=batch.start_date.year,
        )
        .exclude(pk=batch.pk)
        .select_related("route")
    )
    total = sum((cap_check(b).per_person for b in others), cap_check(batch).per_person)
    if total > cap:
        raise DomainError(
            _("参加本批次后该劳模今年疗休养费用合计 %(t)s 元，超过每人每年上限 %(cap)s 元。") % {"t": total, "cap": cap}
        )


@dataclass
class SpendSummary:
    travellers: int
    by_item: list[tuple[str, Decimal]]
    total: Decimal
    per_person: Decimal | None
    cap_total: Decimal | None  # travellers x cap per day x days
    planned_total: Decimal

    @property
    def over(self) -> bool:
        return self.cap_total is not None and self.total > self.cap_total


def spend_summary(batch: Batch) -> SpendSummary:
    from trips.models import CostItem  # noqa: PLC0415 - a name used only here

    travellers = Nomination.objects.filter(batch=batch, status=NominationStatus.ACCEPTED).count()
    sums = dict(BatchCost.objects.filter(batch=batch).values_list("item").annotate(s=Sum("amount")).order_by())
    by_item = [(str(label), sums.get(value, Decimal(0))) for value, label in CostItem.choices]
    total = sum((v for _l, v in by_item), Decimal(0))
    check = cap_check(batch)
    return SpendSummary(
        travellers=travellers,
        by_item=by_item,
        total=total,
        per_person=(total / travellers).quantize(Decimal("0.01")) if travellers else None,
        cap_total=check.cap_batch * travellers if check.cap_batch is not None else None,
        planned_total=check.per_person * travellers,
    )


@transaction.atomic
def add_cost(*, actor: Any, batch: Batch, item: str, amount: Decimal, note: str = "") -> BatchCost:
    if amount <= 0:
        raise DomainError(_("金额须大于 0。"), field="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("金额最多精确到分。"), field="amount")
    Batch.objects.select_for_update().get(pk=batch.pk)
    cost = BatchCost.objects.create(batch=batch, item=item, amount=amount, note=note.strip(), recorded_by=actor)
    log_action(actor, "trips.cost_added", batch, changes={"item": [None, item], "amount": [None, str(amount)]})
    return cost


@transaction.atomic
def delete_cost(*, actor: Any, cost: BatchCost) -> None:
    log_action(
        actor, "trips.cost_deleted", cost.batch, changes={"item": [cost.item, None], "amount": [str(cost.amount), None]}
    )
    cost.delete()


# --- during the trip: incidents --------------------------------------------------------------------


@transaction.atomic
def record_incident(
    *,
    actor: Any,
    batch: Batch,
    occurred_at: dt.datetime,
    what: str,
    action: str = "",
    nomination: Nomination | None = None,
) -> BatchIncident:
    what, action = what.strip(), action.strip()
    if not what:
        raise DomainError(_("请填写事件经过。"), field="what")
    if nomination is not None and (nomination.batch_id != batch.pk or nomination.status != NominationStatus.ACCEPTED):
        raise DomainError(_("涉及人员须是本批次确认参加的人员。"), field="nomination")
    start = timezone.make_aware(dt.datetime.combine(batch.start_date, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(batch.end_date, dt.time.max))
    if not start - dt.timedelta(days=1) <= occurred_at <= end + dt.timedelta(days=1):
        raise DomainError(
            _("发生时间须在批次日期（%(s)s至%(e)s）前后。") % {"s": batch.start_date, "e": batch.end_date},
            field="occurred_at",
        )
    incident = BatchIncident.objects.create(
        batch=batch,
        occurred_at=occurred_at,
        nomination=nomination,
        district_id=nomination.district_id if nomination else None,
        what=what,
        action=action,
        recorded_by=actor,
    )
    log_action(actor, "trips.incident_recorded", batch, changes={"what": [None, what[:100]]})
    return incident


# --- feedback from travellers ----------------------------------------------------------------------


def feedback_window(batch: Batch, today: dt.date | None = None) -> str:
    """``early`` before the batch ends, ``open`` until 30 days after, then ``closed``."""
    today = today or timezone.localdate()
    if today < batch.end_date:
        return "early"
    if today <= batch.end_date + dt.timedelta(days=FEEDBACK_DAYS):
        return "open"
    return "closed"


@transaction.atomic
def save_feedback(
    *, actor: Any, nomination: Nomination, rating: int, comment: str, today: dt.date | None = None
) -> TripFeedback:
    nomination = Nomination.objects.select_for_update().select_related("batch").get(pk=nomination.pk)
    if nomination.status != NominationStatus.ACCEPTED:
        raise DomainError(_("只有参加了本批次的人员才能评价。"))
    window = feedback_window(nomination.batch, today)
    if window == "early":
        raise DomainError(_("本批次结束（%(d)s）后才能评价。") % {"d": nomination.batch.end_date})
    if window == "closed":
        raise DomainError(_("评价只能在批次结束后 %(n)s 天内填写或修改。") % {"n": FEEDBACK_DAYS})
    if not 1 <= rating <= 5:
        raise DomainError(_("评分须在 1 到 5 之间。"), field="rating")
    fb, created = TripFeedback.objects.get_or_create(
        nomination=nomination, defaults={"rating": rating, "comment": comment.strip()}
    )
    if not created:
        fb.rating, fb.comment = rating, comment.strip()
        fb.save()
    log_action(actor, "trips.feedback_saved", nomination, changes={"rating": [None, rating]})
    return fb
