"""trips.checkups: reads shared by pages, API, exports and the home page (one selector per figure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.models import Notification, Region, RegionKind
from core.scope import regions_visible_to
from core.selectors import inbox_for_user
from people.models import Person
from trips.models.checkups import (
    TAKING,
    BookingStatus,
    CheckupBooking,
    CheckupCampaign,
    CheckupProfile,
    CheckupSlot,
    ResultFlag,
)


def districts_for(user: Any) -> QuerySet[Region]:
    return regions_visible_to(user).filter(kind__in=[RegionKind.DISTRICT, RegionKind.ZONE]).order_by("sort", "code")


def current_campaign(on: dt.date | None = None) -> CheckupCampaign | None:
    today = on or timezone.localdate()
    return (
        CheckupCampaign.objects.filter(year=today.year).first()
        or CheckupCampaign.objects.filter(ends__gte=today).order_by("starts").first()
    )


@dataclass
class DueFilters:
    district: Region | None = None
    status: str = ""
    unbooked: bool = False
    name: str = ""


def due_list(user: Any, campaign: CheckupCampaign, f: DueFilters | None = None) -> QuerySet[CheckupProfile]:
    """Who is due in the campaign's year and has not yet had it: ``due_year <= year`` on the
    ``checkup_due*`` indexes, in the user's scope."""
    f = f or DueFilters()
    qs = CheckupProfile.objects.visible_to(user).filter(due_year__lte=campaign.year)
    if f.district is not None:
        qs = qs.filter(district=f.district)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.name:
        qs = qs.filter(person__name__startswith=f.name)
    if f.unbooked:
        qs = qs.exclude(
            person_id__in=CheckupBooking.objects.filter(campaign=campaign, status__in=TAKING).values("person_id")
        )
    return qs.order_by("due_year", "person_id")


def due_page_rows(rows: list[CheckupProfile], campaign: CheckupCampaign) -> list[CheckupProfile]:
    """Attach each row's booking of the campaign (``row.booking``), one query for the page."""
    ids = [r.person_id for r in rows]
    bookings = {
        b.person_id: b
        for b in CheckupBooking.objects.filter(campaign=campaign, person_id__in=ids).select_related(
            "slot", "slot__hospital"
        )
    }
    for r in rows:
        r.booking = bookings.get(r.person_id)  # type: ignore[attr-defined]
    return rows


@dataclass
class BookingFilters:
    district: Region | None = None
    slot: CheckupSlot | None = None
    date: dt.date | None = None
    status: str = ""
    result: str = ""
    name: str = ""


def bookings_for(user: Any, campaign: CheckupCampaign, f: BookingFilters | None = None) -> QuerySet[CheckupBooking]:
    f = f or BookingFilters()
    qs = CheckupBooking.objects.visible_to(user).filter(campaign=campaign)
    if f.district is not None:
        qs = qs.filter(district=f.district)
    if f.slot is not None:
        qs = qs.filter(slot=f.slot)
    if f.date is not None:
        qs = qs.filter(slot__date=f.date)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.result:
        qs = qs.filter(result=f.result)
    if f.name:
        qs = qs.filter(person__name__startswith=f.name)
    return qs.select_related("person", "district", "slot", "slot__hospital", "package").order_by(
        "slot__date", "slot__start", "person__name_pinyin", "id"
    )


def open_slots(campaign: CheckupCampaign, *, on: dt.date | None = None) -> QuerySet[CheckupSlot]:
    today = on or timezone.localdate()
    return (
        campaign.slots.filter(date__gte=today, hospital__active=True)
        .select_related("hospital")
        .order_by("date", "start", "hospital__name")
    )


@dataclass
class CoverageRow:
    district_id: int | None
    name: str
    due: int
    booked: int
    attended: int
    recheck: int

    @property
    def coverage(self) -> float:
        return round(100 * self.attended / self.due, 1) if self.due else 0.0


def coverage(user: Any, campaign: CheckupCampaign, district: Region | None = None) -> list[CoverageRow]:
    """Per district: 应检 (still due + attended this campaign), 已预约 (booked or attended), 已到检,
    需复查. Two grouped queries; the last row is the total."""
    profiles = CheckupProfile.objects.visible_to(user).filter(due_year__lte=campaign.year)
    bookings = CheckupBooking.objects.visible_to(user).filter(campaign=campaign)
    if district is not None:
        profiles = profiles.filter(district=district)
        bookings = bookings.filter(district=district)
    remaining = dict(profiles.values_list("district_id").annotate(n=Count("*")).order_by())
    per = {
        r["district_id"]: r
        for r in bookings.values("district_id")
        .annotate(
            booked=Count("id", filter=Q(status__in=TAKING)),
            attended=Count("id", filter=Q(status=BookingStatus.ATTENDED)),
            recheck=Count("id", filter=Q(result=ResultFlag.RECHECK)),
        )
        .order_by()
    }
    districts = districts_for(user)
    if district is not None:
        districts = districts.filter(pk=district.pk)
    rows: list[CoverageRow] = []
    for d in districts:
        b = per.get(d.pk, {})
        attended = b.get("attended", 0)
        rows.append(
            CoverageRow(
                d.pk,
                d.name,
                remaining.get(d.pk, 0) + attended,
                b.get("booked", 0),
                attended,
                b.get("recheck", 0),
            )
        )
    rows = [r for r in rows if r.due or r.booked] or rows
    total = CoverageRow(
        None,
        "合计",
        sum(r.due for r in rows),
        sum(r.booked for r in rows),
        sum(r.attended for r in rows),
        sum(r.recheck for r in rows),
    )
    return [*rows, total]


def unbooked_count(user: Any, campaign: CheckupCampaign) -> int:
    return due_list(user, campaign, DueFilters(unbooked=True)).count()


def recheck_open(user: Any, campaign: CheckupCampaign) -> QuerySet[CheckupBooking]:
    return CheckupBooking.objects.visible_to(user).filter(
        campaign=campaign, result=ResultFlag.RECHECK, followed_up=False
    )


def my_person(user: Any) -> Any:
    return Person.objects.filter(user=user, merged_into__isnull=True).select_related("district").first()


def my_booking(person: Any, campaign: CheckupCampaign) -> CheckupBooking | None:
    return (
        CheckupBooking.objects.filter(person=person, campaign=campaign)
        .select_related("slot", "slot__hospital", "package")
        .first()
    )


def my_reminders(user: Any, booking: CheckupBooking, *, limit: int = 5) -> list[Notification]:
    """The in-app messages about this booking (the day-before reminder), newest first: read
    through the inbox, so they are the user's own whatever the booking."""
    return list(
        inbox_for_user(user).filter(related_type=CheckupBooking._meta.label_lower, related_id=str(booking.pk))[:limit]
    )


def upcoming(booking: CheckupBooking | None, *, on: dt.date | None = None) -> int | None:
    """Days until a booked check-up (0 = today), or None when there is none ahead."""
    today = on or timezone.localdate()
    if booking is None or booking.status != BookingStatus.BOOKED or booking.slot.date < today:
        return None
    return (booking.slot.date - today).days


def my_profile(person: Any) -> CheckupProfile | None:
    return CheckupProfile.objects.filter(person=person).first()
