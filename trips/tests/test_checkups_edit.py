"""trips.checkups: editing and deleting campaigns, hospitals, packages and slots (never losing a
booking), through the services and the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.errors import DomainError
from core.models import AuditEntry
from trips.checkups import services
from trips.models.checkups import CheckupBooking, CheckupCampaign, CheckupPackage, CheckupSlot, Hospital
from trips.tests import checkups_factories as f

pytestmark = pytest.mark.django_db


def _said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _campaign_fields(c: CheckupCampaign, **changes) -> dict[str, str]:
    data = {"year": c.year, "title": c.title, "starts": f"{c.starts:%Y-%m-%d}", "ends": f"{c.ends:%Y-%m-%d}"}
    return {k: str(v) for k, v in (data | changes).items()} | {"notes": ""}


# --- campaigns -------------------------------------------------------------------------------------


def test_campaign_edit_saves_and_is_audited(cast, client_for):
    c = f.campaign()
    r = client_for("city").post(
        reverse("trips:checkups_campaign_edit", args=[c.pk]), _campaign_fields(c, title="年度体检（修订）")
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.title == "年度体检（修订）"
    assert AuditEntry.objects.filter(action="trips.checkups.campaign.update", object_id=str(c.pk)).count() == 1


def test_campaign_edit_refuses_dates_that_leave_slots_outside(cast, client_for):
    slot = f.slot()
    c = slot.campaign
    new_end = slot.date - dt.timedelta(days=1)
    if new_end < c.starts:
        pytest.skip("the slot is on the campaign's first day")
    r = client_for("city").post(
        reverse("trips:checkups_campaign_edit", args=[c.pk]), _campaign_fields(c, ends=f"{new_end:%Y-%m-%d}")
    )
    assert r.status_code == 200
    assert "有 1 个时段不在新的起止日期内" in r.content.decode()
    c.refresh_from_db()
    assert c.ends != new_end


def test_campaign_year_cannot_move_once_booked(cast):
    b = f.booking(cast)
    c = b.campaign
    fields = {"year": c.year + 1, "title": c.title, "starts": c.starts, "ends": c.ends, "notes": ""}
    fields |= {"starts": c.starts.replace(year=c.year + 1), "ends": c.ends.replace(year=c.year + 1)}
    CheckupSlot.objects.filter(campaign=c).update(date=fields["starts"])  # slots inside the new dates
    with pytest.raises(DomainError, match="不能修改年度"):
        services.save_campaign(actor=cast.city, campaign=c, **fields)


def test_campaign_with_bookings_is_not_deleted(cast, client_for):
    b = f.booking(cast)
    services.cancel_booking(actor=cast.city, booking=b)  # even a cancelled booking is kept
    r = client_for("city").post(reverse("trips:checkups_campaign_delete", args=[b.campaign_id]))
    assert r.status_code == 302 and r.url == reverse("trips:checkups_campaign", args=[b.campaign_id])
    assert any("已有 1 条预约记录，不能删除" in m for m in _said(r))
    assert CheckupBooking.objects.filter(pk=b.pk).exists()
    assert CheckupCampaign.objects.filter(pk=b.campaign_id).exists()


def test_campaign_without_bookings_is_deleted_with_its_slots(cast, client_for):
    slot = f.slot()
    c = slot.campaign
    page = client_for("city").get(reverse("trips:checkups_campaign", args=[c.pk])).content.decode()
    assert 'data-confirm="是否确认删除“' in page
    r = client_for("city").post(reverse("trips:checkups_campaign_delete", args=[c.pk]))
    assert r.status_code == 302 and r.url == reverse("trips:checkups_campaigns")
    assert not CheckupCampaign.objects.filter(pk=c.pk).exists()
    assert not CheckupSlot.objects.filter(pk=slot.pk).exists()
    entry = AuditEntry.objects.get(action="trips.checkups.campaign.delete", object_id=str(c.pk))
    assert entry.changes["slots"] == 1


def test_district_staff_cannot_edit_or_delete(cast, client_for):
    c = f.campaign()
    district = client_for("district_a")
    assert district.get(reverse("trips:checkups_campaign_edit", args=[c.pk])).status_code == 403
    assert district.post(reverse("trips:checkups_campaign_delete", args=[c.pk])).status_code == 403
    assert CheckupCampaign.objects.filter(pk=c.pk).exists()


# --- hospitals and packages -------------------------------------------------------------------------


def test_hospital_edit_and_duplicate_name(cast, client_for):
    h = f.hospital()
    other = Hospital.objects.create(name="宁波市第二医院")
    url = reverse("trips:checkups_hospital_edit", args=[other.pk])
    data = {"name": h.name, "address": "", "phone": "", "notes": "", "active": "on"}
    r = client_for("city").post(url, data)
    assert r.status_code == 200 and "医院“宁波市第一医院”已存在" in r.content.decode()
    r = client_for("city").post(url, data | {"name": "宁波市第二医院（西院）", "notes": "请空腹"})
    assert r.status_code == 302
    other.refresh_from_db()
    assert (other.name, other.notes) == ("宁波市第二医院（西院）", "请空腹")


def test_hospital_with_slots_is_not_deleted(cast, client_for):
    slot = f.slot()
    r = client_for("city").post(reverse("trips:checkups_hospital_delete", args=[slot.hospital_id]))
    assert any("已有 1 个体检时段，不能删除；不再使用请改为停用" in m for m in _said(r))
    assert Hospital.objects.filter(pk=slot.hospital_id).exists()
    spare = Hospital.objects.create(name="备用医院")
    page = client_for("city").get(reverse("trips:checkups_hospitals")).content.decode()
    assert "是否确认删除“备用医院”？" in page
    client_for("city").post(reverse("trips:checkups_hospital_delete", args=[spare.pk]))
    assert not Hospital.objects.filter(pk=spare.pk).exists()
    assert AuditEntry.objects.filter(action="trips.checkups.hospital.delete", object_id=str(spare.pk)).exists()


def test_package_used_by_a_booking_is_not_deleted(cast, client_for):
    package = f.package()
    b = f.booking(cast)
    CheckupBooking.objects.filter(pk=b.pk).update(package=package)
    r = client_for("city").post(reverse("trips:checkups_package_delete", args=[package.pk]))
    assert any("已用于 1 条预约，不能删除" in m for m in _said(r))
    b.refresh_from_db()
    assert b.package_id == package.pk
    CheckupBooking.objects.filter(pk=b.pk).update(package=None)
    client_for("city").post(reverse("trips:checkups_package_delete", args=[package.pk]))
    assert not CheckupPackage.objects.filter(pk=package.pk).exists()


def test_package_edit_shows_the_age_error_beside_the_field(cast, client_for):
    package = f.package()
    url = reverse("trips:checkups_package_edit", args=[package.pk])
    data = {"name": package.name, "sex": "", "age_min": "60", "age_max": "40", "items": "血常规"}
    r = client_for("city").post(url, data)
    assert r.status_code == 200 and "最大年龄不能小于最小年龄" in r.content.decode()
    r = client_for("city").post(url, data | {"age_max": "80", "active": "on"})
    assert r.status_code == 302
    package.refresh_from_db()
    assert (package.age_min, package.age_max) == (60, 80)


# --- slots -------------------------------------------------------------------------------------------


def test_slot_capacity_cannot_go_below_booked(cast, client_for):
    b = f.booking(cast, capacity=5)
    url = reverse("trips:checkups_slot_edit", args=[b.slot_id])
    page = client_for("city").get(url).content.decode()
    assert "已有 1 人预约该时段：只能调整名额" in page and 'name="date"' not in page
    r = client_for("city").post(url, {"capacity": "0"})
    assert r.status_code == 200
    r = client_for("city").post(url, {"capacity": "1"})
    assert r.status_code == 302
    slot = CheckupSlot.objects.get(pk=b.slot_id)
    assert (slot.capacity, slot.taken) == (1, 1)
    assert AuditEntry.objects.get(action="trips.checkups.slot.capacity", object_id=str(slot.pk)).changes == {
        "capacity": [5, 1]
    }
    # the service says it in words (the form only knows the number is at least 1)
    slot = services.set_slot_capacity(actor=cast.city, slot=slot, capacity=5)
    services.book_slot(actor=cast.city, person=cast.person_b, slot=slot)
    with pytest.raises(DomainError, match="已有 2 人预约，名额不能少于已约人数"):
        services.set_slot_capacity(actor=cast.city, slot=slot, capacity=1)


def test_booked_slot_is_not_moved_under_people(cast):
    b = f.booking(cast)
    slot = b.slot
    with pytest.raises(DomainError, match="不能修改医院、日期或时间"):
        services.update_slot(
            actor=cast.city,
            slot=slot,
            hospital=slot.hospital,
            date=slot.date,
            start=dt.time(9, 0),
            end=dt.time(11, 0),
            capacity=slot.capacity,
        )


def test_free_slot_edit_moves_it(cast, client_for):
    slot = f.slot(3)
    url = reverse("trips:checkups_slot_edit", args=[slot.pk])
    data = {
        "hospital": slot.hospital_id,
        "date": f"{slot.date:%Y-%m-%d}",
        "start": "13:30",
        "end": "13:00",
        "capacity": "8",
    }
    r = client_for("city").post(url, data)
    assert r.status_code == 200 and "结束时间应晚于开始时间" in r.content.decode()
    r = client_for("city").post(url, data | {"end": "15:30"})
    assert r.status_code == 302
    slot.refresh_from_db()
    assert (slot.start, slot.end, slot.capacity) == (dt.time(13, 30), dt.time(15, 30), 8)
    assert AuditEntry.objects.filter(action="trips.checkups.slot.update", object_id=str(slot.pk)).exists()


def test_slot_with_bookings_is_not_deleted(cast, client_for):
    b = f.booking(cast)
    services.cancel_booking(actor=cast.city, booking=b)
    r = client_for("city").post(reverse("trips:checkups_slot_delete", args=[b.slot_id]))
    assert any("该时段已有 1 条预约记录，不能删除" in m for m in _said(r))
    assert CheckupSlot.objects.filter(pk=b.slot_id).exists()
    assert CheckupBooking.objects.get(pk=b.pk).slot_id == b.slot_id


def test_free_slot_is_deleted_and_audited(cast, client_for):
    slot = f.slot()
    page = client_for("city").get(reverse("trips:checkups_campaign", args=[slot.campaign_id])).content.decode()
    assert "时段？" in page and reverse("trips:checkups_slot_delete", args=[slot.pk]) in page
    r = client_for("city").post(reverse("trips:checkups_slot_delete", args=[slot.pk]))
    assert r.status_code == 302 and "已删除" in _said(r)
    assert not CheckupSlot.objects.filter(pk=slot.pk).exists()
    assert AuditEntry.objects.filter(action="trips.checkups.slot.delete", object_id=str(slot.pk)).exists()
