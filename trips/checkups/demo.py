"""trips.checkups: deterministic demo data (called by ``trips/demo.py``): this year's check-up
campaign in progress, with hospitals, packages, slots, bookings and attendance. Its own
``random.Random(seed + 1414)``: no draw of another app moves."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from trips.checkups import services
from trips.models.checkups import (
    BookingStatus,
    CheckupBooking,
    CheckupCampaign,
    CheckupPackage,
    CheckupProfile,
    CheckupSlot,
    Hospital,
    ResultFlag,
)

HOSPITALS = [
    ("宁波市第一医院体检中心", "海曙区柳汀街59号", "0574-87085588"),
    ("宁波市医疗中心李惠利医院体检中心", "鄞州区兴宁路57号", "0574-87392290"),
    ("宁波大学附属人民医院健康管理中心", "鄞州区百丈东路251号", "0574-55836000"),
]
PACKAGES = [
    ("男士套餐（60岁以下）", "M", 0, 59, "一般检查\n血常规\n肝功能\n肾功能\n血脂\n心电图\n腹部B超\n胸部CT"),
    (
        "男士套餐（60岁及以上）",
        "M",
        60,
        150,
        "一般检查\n血常规\n肝肾功能\n血脂血糖\n心电图\n腹部B超\n胸部CT\n前列腺B超\n颈动脉B超",
    ),
    ("女士套餐（60岁以下）", "F", 0, 59, "一般检查\n血常规\n肝功能\n肾功能\n血脂\n心电图\n腹部B超\n胸部CT\n乳腺B超"),
    (
        "女士套餐（60岁及以上）",
        "F",
        60,
        150,
        "一般检查\n血常规\n肝肾功能\n血脂血糖\n心电图\n腹部B超\n胸部CT\n乳腺B超\n骨密度",
    ),
]


def build(*, size: int, seed: int, stdout: Any) -> None:
    rng = random.Random(seed + 1414)
    today = timezone.localdate()
    year = today.year
    with transaction.atomic():
        services.refresh_profiles()
        campaign, _ = CheckupCampaign.objects.get_or_create(
            year=year,
            defaults={
                "title": f"{year}年度劳模工匠健康体检",
                "starts": dt.date(year, 3, 1),
                "ends": dt.date(year, 12, 31),
            },
        )
        if campaign.ends < today + dt.timedelta(days=14):
            campaign.ends = min(today + dt.timedelta(days=40), dt.date(year, 12, 31))
            campaign.save(update_fields=["ends"])
        hospitals = [
            Hospital.objects.get_or_create(name=n, defaults={"address": a, "phone": p, "notes": "请空腹，带身份证"})[0]
            for n, a, p in HOSPITALS
        ]
        for name, sex, lo, hi, items in PACKAGES:
            CheckupPackage.objects.get_or_create(
                name=name, defaults={"sex": sex, "age_min": lo, "age_max": hi, "items": items}
            )
        if campaign.slots.exists():
            return
        slots: list[CheckupSlot] = []
        day = max(campaign.starts, today - dt.timedelta(days=45))
        while day <= min(campaign.ends, today + dt.timedelta(days=30)):
            if day.weekday() < 5:
                for h in hospitals:
                    for start, end in ((dt.time(7, 30), dt.time(9, 0)), (dt.time(9, 0), dt.time(10, 30))):
                        slots.append(
                            CheckupSlot(campaign=campaign, hospital=h, date=day, start=start, end=end, capacity=12)
                        )
            day += dt.timedelta(days=1)
        CheckupSlot.objects.bulk_create(slots)
        slots = list(campaign.slots.order_by("date", "start", "hospital_id"))
        due = list(CheckupProfile.objects.filter(due_year__lte=year).select_related("person").order_by("person_id"))
        rng.shuffle(due)
        chosen = due[: len(due) * 3 // 10]
        bookings: list[CheckupBooking] = []
        taken: dict[int, int] = {}
        for profile in chosen:
            slot = rng.choice(slots)
            if taken.get(slot.pk, 0) >= slot.capacity:
                continue
            taken[slot.pk] = taken.get(slot.pk, 0) + 1
            status, result = BookingStatus.BOOKED, ""
            if slot.date < today:
                status = BookingStatus.ATTENDED if rng.random() < 0.9 else BookingStatus.ABSENT
                if status == BookingStatus.ATTENDED:
                    result = ResultFlag.RECHECK if rng.random() < 0.12 else ResultFlag.NORMAL
            if status == BookingStatus.ABSENT:
                taken[slot.pk] -= 1
            bookings.append(
                CheckupBooking(
                    campaign=campaign,
                    person=profile.person,
                    district_id=profile.district_id,
                    slot=slot,
                    package=services.package_for(profile.person, slot.date),
                    status=status,
                    result=result,
                    attended_at=timezone.now() if status == BookingStatus.ATTENDED else None,
                )
            )
        CheckupBooking.objects.bulk_create(bookings)
        for slot in slots:
            if taken.get(slot.pk):
                CheckupSlot.objects.filter(pk=slot.pk).update(taken=taken[slot.pk])
        attended = [b.person_id for b in bookings if b.status == BookingStatus.ATTENDED]
        CheckupProfile.objects.filter(person_id__in=attended).update(last_year=year)
        services.refresh_profiles(attended)
    stdout.write(f"trips.checkups: {len(slots)} slots, {len(bookings)} bookings, {len(attended)} attended")
