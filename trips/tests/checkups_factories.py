"""trips.checkups: objects for tests and the permission matrix."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from trips.checkups import services
from trips.models.checkups import CheckupBooking, CheckupCampaign, CheckupPackage, CheckupSlot, Hospital


def campaign(year: int | None = None) -> CheckupCampaign:
    today = timezone.localdate()
    year = year or today.year
    c, _ = CheckupCampaign.objects.get_or_create(
        year=year,
        defaults={"title": f"{year}年度劳模体检", "starts": dt.date(year, 1, 1), "ends": dt.date(year, 12, 31)},
    )
    return c


def hospital() -> Hospital:
    h, _ = Hospital.objects.get_or_create(name="宁波市第一医院", defaults={"address": "柳汀街59号"})
    return h


def package() -> CheckupPackage:
    p, _ = CheckupPackage.objects.get_or_create(name="基础套餐", defaults={"items": "血常规\n肝功能"})
    return p


def slot(capacity: int = 5, *, days: int = 0) -> CheckupSlot:
    c = campaign()
    h = hospital()
    return CheckupSlot.objects.create(
        campaign=c,
        hospital=h,
        date=min(timezone.localdate() + dt.timedelta(days=days), c.ends),
        start=dt.time(8, 0),
        end=dt.time(10, 0),
        capacity=capacity,
    )


def booking(cast: Any, *, person: Any = None, capacity: int = 5) -> CheckupBooking:
    return services.book_slot(actor=cast.city, person=person or cast.person_a, slot=slot(capacity))


def attended(cast: Any) -> CheckupBooking:
    b = booking(cast)
    return services.mark_attendance(actor=cast.city, booking=b, attended=True)
