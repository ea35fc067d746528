"""trips.checkups: every write (campaigns, hospitals, packages, slots, bookings, attendance,
results, reports, reminders, the due profiles)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import notify
from core.audit import log_action
from core.errors import DomainError
from core.models import Actor
from people.models import Person, PersonStatus
from trips.checkups import reports
from trips.models.checkups import (
    TAKING,
    BookingStatus,
    CheckupBooking,
    CheckupCampaign,
    CheckupPackage,
    CheckupProfile,
    CheckupRule,
    CheckupSlot,
    Hospital,
    ResultFlag,
)

REPORT_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}
REPORT_MAX_BYTES = 10 * 1024 * 1024
CHUNK = 2000
MAX_CAPACITY = 10000


# --- who is due -------------------------------------------------------------------------------


def intervals() -> dict[str, int]:
    return dict(CheckupRule.objects.filter(active=True).values_list("status", "interval_years"))


def due_year_for(status: str, last_year: int | None, rules: dict[str, int]) -> int | None:
    interval = rules.get(status)
    if interval is None:
        return None
    return 0 if last_year is None else last_year + interval


def refresh_profiles(person_ids: Iterable[int] | None = None) -> int:
    """Bring the profiles of these people (None: everyone) in step with the registry and the rules
    table. Merged people lose theirs. Returns how many rows were written."""
    rules = intervals()
    people = Person.objects.all()
    if person_ids is not None:
        ids = list(person_ids)
        chunks: list[list[int]] = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    else:
        all_ids = list(people.order_by("pk").values_list("pk", flat=True))
        chunks = [all_ids[i : i + CHUNK] for i in range(0, len(all_ids), CHUNK)]
    written = 0
    for chunk in chunks:
        rows = list(Person.objects.filter(pk__in=chunk).values_list("pk", "status", "district_id", "merged_into_id"))
        last = dict(CheckupProfile.objects.filter(person_id__in=chunk).values_list("person_id", "last_year"))
        merged = [pk for pk, _s, _d, into in rows if into]
        if merged:
            CheckupProfile.objects.filter(person_id__in=merged).delete()
        profiles = [
            CheckupProfile(
                person_id=pk,
                district_id=district,
                status=status,
                last_year=last.get(pk),
                due_year=due_year_for(status, last.get(pk), rules),
            )
            for pk, status, district, into in rows
            if not into
        ]
        CheckupProfile.objects.bulk_create(
            profiles,
            update_conflicts=True,
            unique_fields=["person"],
            update_fields=["district", "status", "last_year", "due_year"],
        )
        written += len(profiles)
    return written


def _set_last_year(person_id: int, year: int | None) -> None:
    profile = CheckupProfile.objects.filter(person_id=person_id).first()
    if profile is None:
        refresh_profiles([person_id])
        profile = CheckupProfile.objects.filter(person_id=person_id).first()
        if profile is None:
            return
    profile.last_year = year
    profile.due_year = due_year_for(profile.status, year, intervals())
    profile.save(update_fields=["last_year", "due_year"])


def _recompute_last_year(person_id: int) -> None:
    """After attendance changes: the last year is the latest attended campaign, or what was
    recorded before this system (kept when no attended booking is later)."""
    attended = CheckupBooking.objects.filter(person_id=person_id, status=BookingStatus.ATTENDED).aggregate(
        y=Max("campaign__year")
    )["y"]
    profile = CheckupProfile.objects.filter(person_id=person_id).first()
    recorded = profile.last_year if profile else None
    campaign_years = set(CheckupCampaign.objects.values_list("year", flat=True))
    if recorded is not None and recorded in campaign_years:
        recorded = None  # set by an attendance that may since have been undone
    years = [y for y in (attended, recorded) if y is not None]
    _set_last_year(person_id, max(years) if years else None)


def update_rule(*, actor: Actor, rule: CheckupRule, interval_years: int, active: bool) -> CheckupRule:
    if interval_years < 1 or interval_years > 10:
        raise DomainError(_("间隔年数应在 1 到 10 之间"), field="interval_years")
    with transaction.atomic():
        before = {"interval_years": rule.interval_years, "active": rule.active}
        rule.interval_years, rule.active = interval_years, active
        rule.save()
        log_action(
            actor,
            "trips.checkups.rule.update",
            rule,
            changes={"before": before, "after": {"interval_years": interval_years, "active": active}},
        )
        rules = intervals()
        # re-derive every due year from the stored last year (one UPDATE per status)
        for status in PersonStatus.values:
            qs = CheckupProfile.objects.filter(status=status)
            if status not in rules:
                qs.update(due_year=None)
            else:
                qs.filter(last_year__isnull=True).update(due_year=0)
                qs.filter(last_year__isnull=False).update(due_year=F("last_year") + rules[status])
    return rule


# --- catalogue ----------------------------------------------------------------------------------


def save_campaign(*, actor: Actor, campaign: CheckupCampaign | None = None, **fields: Any) -> CheckupCampaign:
    if fields["ends"] < fields["starts"]:
        raise DomainError(_("结束日期不能早于开始日期"), field="ends")
    if fields["starts"].year != fields["year"]:
        raise DomainError(_("开始日期应在该年度内"), field="starts")
    dup = CheckupCampaign.objects.filter(year=fields["year"])
    if campaign is not None:
        dup = dup.exclude(pk=campaign.pk)
    if dup.exists():
        raise DomainError(_("%(year)s 年度的体检计划已存在") % {"year": fields["year"]}, field="year")
    with transaction.atomic():
        created = campaign is None
        if campaign is not None:
            campaign = CheckupCampaign.objects.select_for_update().get(pk=campaign.pk)
            _check_campaign_change(campaign, fields)
        campaign = campaign or CheckupCampaign()
        for k, v in fields.items():
            setattr(campaign, k, v)
        campaign.save()
        log_action(actor, "trips.checkups.campaign." + ("create" if created else "update"), campaign, changes=fields)
    return campaign


def delete_campaign(*, actor: Actor, campaign: CheckupCampaign) -> None:
    """Delete a campaign made by mistake, with its slots. Refused once anyone has booked (even a
    cancelled booking is a record of the association): bookings are never lost."""
    with transaction.atomic():
        campaign = CheckupCampaign.objects.select_for_update().get(pk=campaign.pk)
        n = CheckupBooking.objects.filter(campaign=campaign).count()
        if n:
            raise DomainError(_("“%(title)s”已有 %(n)s 条预约记录，不能删除") % {"title": campaign.title, "n": n})
        slots = campaign.slots.count()
        log_action(
            actor,
            "trips.checkups.campaign.delete",
            campaign,
            changes={"year": campaign.year, "title": campaign.title, "slots": slots},
        )
        campaign.slots.all().delete()
        campaign.delete()


def _check_campaign_change(campaign: CheckupCampaign, fields: dict[str, Any]) -> None:
    """An edit may not leave slots outside the dates, nor move the year of a campaign people have
    attended (their due year is counted from it)."""
    outside = campaign.slots.exclude(date__gte=fields["starts"], date__lte=fields["ends"]).count()
    if outside:
        raise DomainError(
            _("有 %(n)s 个时段不在新的起止日期内，请先修改或删除这些时段") % {"n": outside}, field="starts"
        )
    if fields["year"] != campaign.year and CheckupBooking.objects.filter(campaign=campaign).exists():
        raise DomainError(_("已有预约记录，不能修改年度"), field="year")


def save_hospital(*, actor: Actor, hospital: Hospital | None = None, **fields: Any) -> Hospital:
    dup = Hospital.objects.filter(name=fields["name"])
    if hospital is not None:
        dup = dup.exclude(pk=hospital.pk)
    if dup.exists():
        raise DomainError(_("医院“%(name)s”已存在") % {"name": fields["name"]}, field="name")
    with transaction.atomic():
        created = hospital is None
        hospital = hospital or Hospital()
        for k, v in fields.items():
            setattr(hospital, k, v)
        hospital.save()
        log_action(actor, "trips.checkups.hospital." + ("create" if created else "update"), hospital, changes=fields)
    return hospital


def delete_hospital(*, actor: Actor, hospital: Hospital) -> None:
    """Refused while any slot is at the hospital (its bookings hang on the slots): 停用 instead."""
    with transaction.atomic():
        hospital = Hospital.objects.select_for_update().get(pk=hospital.pk)
        n = hospital.slots.count()
        if n:
            raise DomainError(
                _("“%(name)s”已有 %(n)s 个体检时段，不能删除；不再使用请改为停用") % {"name": hospital.name, "n": n}
            )
        log_action(actor, "trips.checkups.hospital.delete", hospital, changes={"name": hospital.name})
        hospital.delete()


def save_package(*, actor: Actor, package: CheckupPackage | None = None, **fields: Any) -> CheckupPackage:
    if fields["age_max"] < fields["age_min"]:
        raise DomainError(_("最大年龄不能小于最小年龄"), field="age_max")
    with transaction.atomic():
        created = package is None
        package = package or CheckupPackage()
        for k, v in fields.items():
            setattr(package, k, v)
        package.save()
        log_action(actor, "trips.checkups.package." + ("create" if created else "update"), package, changes=fields)
    return package


def delete_package(*, actor: Actor, package: CheckupPackage) -> None:
    """Refused while bookings name the package (they would lose their items): 停用 instead."""
    with transaction.atomic():
        package = CheckupPackage.objects.select_for_update().get(pk=package.pk)
        n = CheckupBooking.objects.filter(package=package).count()
        if n:
            raise DomainError(
                _("“%(name)s”已用于 %(n)s 条预约，不能删除；不再使用请改为停用") % {"name": package.name, "n": n}
            )
        log_action(actor, "trips.checkups.package.delete", package, changes={"name": package.name})
        package.delete()


def _check_slot(*, campaign: CheckupCampaign, hospital: Hospital, date: dt.date, start: dt.time, end: dt.time) -> None:
    if not hospital.active:
        raise DomainError(_("该医院已停用"), field="hospital")
    if end <= start:
        raise DomainError(_("结束时间应晚于开始时间"), field="end")
    if not campaign.starts <= date <= campaign.ends:
        raise DomainError(
            _("日期应在体检计划期间（%(a)s 至 %(b)s）") % {"a": campaign.starts, "b": campaign.ends}, field="date"
        )


def add_slot(
    *,
    actor: Actor,
    campaign: CheckupCampaign,
    hospital: Hospital,
    date: dt.date,
    start: dt.time,
    end: dt.time,
    capacity: int,
) -> CheckupSlot:
    _check_slot(campaign=campaign, hospital=hospital, date=date, start=start, end=end)
    if capacity < 1 or capacity > MAX_CAPACITY:
        raise DomainError(_("名额应在 1 到 10000 之间"), field="capacity")
    with transaction.atomic():
        slot = CheckupSlot.objects.create(
            campaign=campaign, hospital=hospital, date=date, start=start, end=end, capacity=capacity
        )
        log_action(actor, "trips.checkups.slot.create", slot, changes={"capacity": capacity})
    return slot


def update_slot(
    *,
    actor: Actor,
    slot: CheckupSlot,
    hospital: Hospital,
    date: dt.date,
    start: dt.time,
    end: dt.time,
    capacity: int,
) -> CheckupSlot:
    """Change a slot nobody holds a place in (where, when, how many). Once people have booked,
    only the capacity may change (``set_slot_capacity``): their appointment is not moved under them."""
    if capacity < 1 or capacity > MAX_CAPACITY:
        raise DomainError(_("名额应在 1 到 10000 之间"), field="capacity")
    with transaction.atomic():
        slot = CheckupSlot.objects.select_for_update().select_related("campaign").get(pk=slot.pk)
        moved = (slot.hospital_id, slot.date, slot.start, slot.end) != (hospital.pk, date, start, end)
        if moved and slot.taken:
            raise DomainError(
                _("已有 %(n)s 人预约该时段，不能修改医院、日期或时间；请只调整名额，或新增时段") % {"n": slot.taken}
            )
        if moved:
            _check_slot(campaign=slot.campaign, hospital=hospital, date=date, start=start, end=end)
        if capacity < slot.taken:
            raise DomainError(_("已有 %(n)s 人预约，名额不能少于已约人数") % {"n": slot.taken}, field="capacity")
        before = {"hospital": slot.hospital_id, "date": str(slot.date), "start": str(slot.start), "end": str(slot.end)}
        before["capacity"] = str(slot.capacity)
        slot.hospital, slot.date, slot.start, slot.end, slot.capacity = hospital, date, start, end, capacity
        slot.save(update_fields=["hospital", "date", "start", "end", "capacity"])
        after = {"hospital": hospital.pk, "date": str(date), "start": str(start), "end": str(end)}
        after["capacity"] = str(capacity)
        log_action(actor, "trips.checkups.slot.update", slot, changes={"before": before, "after": after})
    return slot


def delete_slot(*, actor: Actor, slot: CheckupSlot) -> None:
    """Refused while any booking (even cancelled) names the slot: bookings are never lost."""
    with transaction.atomic():
        slot = CheckupSlot.objects.select_for_update().select_related("hospital").get(pk=slot.pk)
        n = slot.bookings.count()
        if n:
            raise DomainError(_("该时段已有 %(n)s 条预约记录，不能删除；如需停止预约，可把名额调到已约人数") % {"n": n})
        log_action(actor, "trips.checkups.slot.delete", slot, changes={"slot": str(slot), "capacity": slot.capacity})
        slot.delete()


def set_slot_capacity(*, actor: Actor, slot: CheckupSlot, capacity: int) -> CheckupSlot:
    if capacity < 1 or capacity > MAX_CAPACITY:
        raise DomainError(_("名额应在 1 到 10000 之间"), field="capacity")
    with transaction.atomic():
        slot = CheckupSlot.objects.select_for_update().get(pk=slot.pk)
        if capacity < slot.taken:
            raise DomainError(_("已有 %(n)s 人预约，名额不能少于已约人数") % {"n": slot.taken}, field="capacity")
        before = slot.capacity
        slot.capacity = capacity
        slot.save(update_fields=["capacity"])
        log_action(actor, "trips.checkups.slot.capacity", slot, changes={"capacity": [before, capacity]})
    return slot


# --- bookings -----------------------------------------------------------------------------------


def package_for(person: Person, on: dt.date) -> CheckupPackage | None:
    age = None
    if person.birth_date:
        b = person.birth_date
        age = on.year - b.year - ((on.month, on.day) < (b.month, b.day))
    for package in CheckupPackage.objects.filter(active=True):
        if package.sex and package.sex != person.gender:
            continue
        if age is not None and not package.age_min <= age <= package.age_max:
            continue
        return package
    return None


def _take_place(slot_id: int) -> CheckupSlot:
    """Lock the slot row and take one place, or refuse when it is full."""
    slot = CheckupSlot.objects.select_for_update().select_related("hospital", "campaign").get(pk=slot_id)
    if slot.taken >= slot.capacity:
        raise DomainError(_("该时段已约满，请选择其他时段"), field="slot")
    slot.taken += 1
    slot.save(update_fields=["taken"])
    return slot


def _free_place(slot_id: int) -> None:
    slot = CheckupSlot.objects.select_for_update().get(pk=slot_id)
    slot.taken = max(slot.taken - 1, 0)
    slot.save(update_fields=["taken"])


def book_slot(*, actor: Actor, person: Person, slot: CheckupSlot) -> CheckupBooking:
    """Book ``person`` into ``slot`` (or move their booking of that campaign there). Two people
    taking the last place at once: the slot row lock lets one win; the other is refused."""
    if person.merged_into_id or person.status not in (PersonStatus.WORKING, PersonStatus.RETIRED):
        raise DomainError(_("该人员不在册，不能预约体检"))
    today = timezone.localdate()
    with transaction.atomic():
        existing = (
            CheckupBooking.objects.select_for_update().filter(campaign_id=slot.campaign_id, person=person).first()
        )
        if existing is not None and existing.status == BookingStatus.ATTENDED:
            raise DomainError(_("已到检，不能再改约"))
        if existing is not None and existing.slot_id == slot.pk and existing.status == BookingStatus.BOOKED:
            raise DomainError(_("已预约该时段"), field="slot")
        locked = _take_place(slot.pk)
        if locked.date < today:
            raise DomainError(_("该时段已过，请选择其他时段"), field="slot")
        if not locked.hospital.active:
            raise DomainError(_("该医院已停用"), field="slot")
        package = package_for(person, locked.date)
        if existing is not None:
            before = existing.slot_id
            if existing.status == BookingStatus.BOOKED:
                _free_place(existing.slot_id)
            existing.slot = locked
            existing.status = BookingStatus.BOOKED
            existing.package = package
            existing.reminded_at = None
            existing.booked_by = actor if getattr(actor, "is_authenticated", False) else None
            existing.save()
            log_action(actor, "trips.checkups.booking.change", existing, changes={"slot": [before, locked.pk]})
            return existing
        booking = CheckupBooking.objects.create(
            campaign=locked.campaign,
            person=person,
            district_id=person.district_id,
            slot=locked,
            package=package,
            booked_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        log_action(actor, "trips.checkups.booking.create", booking, changes={"slot": str(locked)})
    return booking


def cancel_booking(*, actor: Actor, booking: CheckupBooking) -> CheckupBooking:
    with transaction.atomic():
        booking = CheckupBooking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != BookingStatus.BOOKED:
            raise DomainError(_("只有“已预约”的可以取消"))
        _free_place(booking.slot_id)
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status"])
        log_action(actor, "trips.checkups.booking.cancel", booking)
    return booking


def mark_attendance(*, actor: Actor, booking: CheckupBooking, attended: bool) -> CheckupBooking:
    new = BookingStatus.ATTENDED if attended else BookingStatus.ABSENT
    with transaction.atomic():
        booking = CheckupBooking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
        if booking.status == BookingStatus.CANCELLED:
            raise DomainError(_("预约已取消，不能登记到检"))
        if booking.slot.date > timezone.localdate():
            raise DomainError(_("体检日期未到，不能登记到检情况"))
        before = booking.status
        if before == new:
            return booking
        if before in TAKING and new not in TAKING:
            _free_place(booking.slot_id)
        elif before not in TAKING and new in TAKING:
            _take_place(booking.slot_id)
        booking.status = new
        booking.attended_at = timezone.now() if attended else None
        if not attended:
            booking.result = ""
        booking.save(update_fields=["status", "attended_at", "result"])
        _recompute_last_year(booking.person_id)
        log_action(actor, "trips.checkups.booking.attendance", booking, changes={"status": [before, new]})
    return booking


def set_result(*, actor: Actor, booking: CheckupBooking, result: str) -> CheckupBooking:
    if result not in (ResultFlag.NORMAL, ResultFlag.RECHECK):
        raise DomainError(_("结果只能是“正常”或“需复查”"), field="result")
    with transaction.atomic():
        booking = (
            CheckupBooking.objects.select_for_update(of=("self",))
            .select_related("person", "district")
            .get(pk=booking.pk)
        )
        if booking.status != BookingStatus.ATTENDED:
            raise DomainError(_("到检后才能登记结果"), field="result")
        before = booking.result
        booking.result = result
        if result == ResultFlag.NORMAL:
            booking.followed_up = False
        booking.save(update_fields=["result", "followed_up"])
        log_action(actor, "trips.checkups.booking.result", booking, changes={"result": [before, result]})
        if result == ResultFlag.RECHECK and before != result:
            notify.notify_staff(
                perm="trips.checkups_book",
                region=booking.district,
                subject=_("体检需复查：%(name)s") % {"name": booking.person.name},
                body=_("%(name)s 的体检结论为“需复查”，请联系安排复查。") % {"name": booking.person.name},
                link=reverse("trips:checkups_booking", args=[booking.pk]),
                related=booking,
                exclude=actor,
            )
    return booking


def mark_followed_up(*, actor: Actor, booking: CheckupBooking) -> CheckupBooking:
    with transaction.atomic():
        booking = CheckupBooking.objects.select_for_update().get(pk=booking.pk)
        if booking.result != ResultFlag.RECHECK:
            raise DomainError(_("只有“需复查”的需要跟进"))
        booking.followed_up = True
        booking.save(update_fields=["followed_up"])
        log_action(actor, "trips.checkups.booking.followed_up", booking)
    return booking


def upload_report(*, actor: Actor, booking: CheckupBooking, file: UploadedFile) -> CheckupBooking:
    """Keep the report file (health data), sealed with the field key (``reports``): only for
    ``trips.checkups_health`` holders (checked by the view); the upload is logged; a replaced file
    is removed."""
    name = file.name or "report"
    if Path(name).suffix.lower() not in REPORT_TYPES:
        raise DomainError(_("报告只能是 PDF 或图片（jpg、png）"), field="file")
    if (file.size or 0) > REPORT_MAX_BYTES:
        raise DomainError(_("报告文件不能超过 10 MB"), field="file")
    with transaction.atomic():
        booking = CheckupBooking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != BookingStatus.ATTENDED:
            raise DomainError(_("到检后才能上传报告"), field="file")
        old = booking.report.name if booking.report else ""
        # sealed before it reaches storage: the disk never holds the report in the clear
        booking.report.save("report" + reports.SEALED_SUFFIX, reports.sealed_file(b"".join(file.chunks())), save=False)
        booking.report_name = name[:200]
        booking.save(update_fields=["report", "report_name"])
        log_action(actor, "trips.checkups.report.upload", booking, changes={"file": name, "replaced": bool(old)})
        if old:
            transaction.on_commit(lambda: booking.report.storage.delete(old))
    return booking


def log_report_view(*, actor: Actor, booking: CheckupBooking) -> None:
    log_action(actor, "trips.checkups.report.view", booking, changes={"file": booking.report_name})


# --- reminders ----------------------------------------------------------------------------------


def send_reminders(*, on: dt.date | None = None) -> int:
    """The day before: an in-app message (and a text message when a mobile is known) to everyone
    booked for tomorrow who has not been reminded. Returns how many were reminded."""
    today = on or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    sent = 0
    qs = CheckupBooking.objects.filter(
        status=BookingStatus.BOOKED, slot__date=tomorrow, reminded_at__isnull=True
    ).select_related("person", "person__user", "slot", "slot__hospital")
    for booking in qs.iterator(chunk_size=500):
        with transaction.atomic():
            locked = CheckupBooking.objects.select_for_update().filter(pk=booking.pk, reminded_at__isnull=True)
            if not locked.exists():
                continue
            slot = booking.slot
            body = _(
                "您已预约 %(date)s %(start)s-%(end)s 在%(hospital)s体检（%(address)s），请空腹前往，带好身份证。"
            ) % {
                "date": f"{slot.date:%Y年%-m月%-d日}",
                "start": f"{slot.start:%H:%M}",
                "end": f"{slot.end:%H:%M}",
                "hospital": slot.hospital.name,
                "address": slot.hospital.address,
            }
            subject = _("明天体检提醒")
            user = booking.person.user
            if user is not None:
                notify.send(
                    channel="inapp",
                    recipient=user,
                    subject=subject,
                    body=body,
                    related=booking,
                    link=reverse("trips:checkups_mine"),
                )
            if booking.person.mobile:
                notify.send(channel="sms", address=booking.person.mobile, subject=subject, body=body, related=booking)
            locked.update(reminded_at=timezone.now())
            sent += 1
    return sent
