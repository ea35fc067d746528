"""trips.checkups: booking rules, capacity, due list, attendance, results, scope, reports."""

from __future__ import annotations

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from core.errors import DomainError
from core.models import AuditEntry
from tests.cast import build_cast
from trips.checkups import selectors, services
from trips.models.checkups import BookingStatus, CheckupProfile, CheckupRule
from trips.tests import checkups_factories as f

pytestmark = pytest.mark.django_db


def test_full_slot_is_refused_with_a_clear_message(cast):
    slot = f.slot(capacity=1)
    services.book_slot(actor=cast.city, person=cast.person_a, slot=slot)
    with pytest.raises(DomainError, match="已约满"):
        services.book_slot(actor=cast.city, person=cast.person_b, slot=slot)
    slot.refresh_from_db()
    assert slot.taken == 1


def test_changing_slot_frees_the_old_place(cast):
    first, second = f.slot(1), f.slot(1)
    b = services.book_slot(actor=cast.worker_a, person=cast.person_a, slot=first)
    services.book_slot(actor=cast.worker_a, person=cast.person_a, slot=second)
    first.refresh_from_db()
    second.refresh_from_db()
    b.refresh_from_db()
    assert (first.taken, second.taken, b.slot_id) == (0, 1, second.pk)
    services.cancel_booking(actor=cast.worker_a, booking=b)
    second.refresh_from_db()
    assert second.taken == 0


def test_due_list_follows_the_rules_table(cast):
    c = f.campaign()
    services.refresh_profiles([cast.person_a.pk, cast.person_b.pk])
    due = set(selectors.due_list(cast.city, c).values_list("person_id", flat=True))
    assert {cast.person_a.pk, cast.person_b.pk} <= due
    # retired every two years: checked last year -> not due this year; working yearly -> due
    CheckupProfile.objects.filter(person__in=[cast.person_a, cast.person_b]).update(last_year=c.year - 1)
    services.refresh_profiles([cast.person_a.pk, cast.person_b.pk])
    due = set(selectors.due_list(cast.city, c).values_list("person_id", flat=True))
    assert cast.person_a.pk in due and cast.person_b.pk not in due
    rule = CheckupRule.objects.get(status="retired")
    services.update_rule(actor=cast.city, rule=rule, interval_years=1, active=True)
    assert selectors.due_list(cast.city, c).filter(person=cast.person_b).exists()


def test_attendance_moves_the_due_year_and_the_coverage(cast):
    c = f.campaign()
    services.refresh_profiles([cast.person_a.pk])
    b = f.attended(cast)
    profile = CheckupProfile.objects.get(person=cast.person_a)
    assert (profile.last_year, profile.due_year) == (c.year, c.year + 1)
    assert not selectors.due_list(cast.city, c).filter(person=cast.person_a).exists()
    services.set_result(actor=cast.city, booking=b, result="recheck")
    total = selectors.coverage(cast.city, c)[-1]
    assert total.attended == 1 and total.recheck == 1 and total.due >= 1
    services.mark_attendance(actor=cast.city, booking=b, attended=False)
    profile.refresh_from_db()
    assert profile.last_year is None and profile.due_year == 0


def test_result_only_after_attendance(cast):
    b = f.booking(cast)
    with pytest.raises(DomainError):
        services.set_result(actor=cast.city, booking=b, result="normal")


def test_district_staff_see_only_their_district(cast, client_for):
    b = f.booking(cast)
    assert client_for("district_a").get(reverse("trips:checkups_booking", args=[b.pk])).status_code == 200
    assert client_for("district_b").get(reverse("trips:checkups_booking", args=[b.pk])).status_code == 404
    c = f.campaign()
    services.refresh_profiles([cast.person_a.pk, cast.person_b.pk])
    page = client_for("district_b").get(reverse("trips:checkups_due", args=[c.pk])).content.decode()
    assert cast.person_b.name in page and cast.person_a.name not in page


def test_report_upload_and_view_are_health_permission_and_logged(cast, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    b = f.attended(cast)
    upload = SimpleUploadedFile("r.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    assert (
        client_for("district_a")
        .post(reverse("trips:checkups_report_upload", args=[b.pk]), {"file": upload})
        .status_code
        == 403
    )
    upload = SimpleUploadedFile("r.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    client_for("city").post(reverse("trips:checkups_report_upload", args=[b.pk]), {"file": upload})
    b.refresh_from_db()
    assert b.report
    assert client_for("district_a").get(reverse("trips:checkups_report", args=[b.pk])).status_code == 403
    r = client_for("city").get(reverse("trips:checkups_report", args=[b.pk]))
    assert r.status_code == 200
    assert AuditEntry.objects.filter(action="trips.checkups.report.view", object_id=str(b.pk)).exists()
    # the booking export carries the flag only, never the report
    assert (
        b"r.pdf" not in client_for("city").get(reverse("trips:checkups_bookings_export", args=[b.campaign_id])).content
    )


def test_phone_booking_and_reminder(cast, client_for):
    slot = f.slot(2, days=1)
    phone = client_for("worker_a")
    r = phone.post(reverse("trips:checkups_mine"), {"slot": slot.pk})
    assert r.status_code == 302
    b = selectors.my_booking(cast.person_a, slot.campaign)
    assert b is not None and b.status == BookingStatus.BOOKED
    assert "我的预约" in phone.get(reverse("trips:checkups_mine")).content.decode()
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0


def test_phone_full_slot_shows_an_error(cast, client_for):
    slot = f.slot(1, days=1)
    services.book_slot(actor=cast.city, person=cast.person_b, slot=slot)
    r = client_for("worker_a").post(reverse("trips:checkups_mine"), {"slot": slot.pk})
    assert r.status_code == 200  # the full slot is not offered: a form error, not a 500


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_place_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    cast = build_cast()
    slot = f.slot(capacity=1)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def take(person):
        try:
            barrier.wait()
            services.book_slot(actor=cast.city, person=person, slot=slot)
            outcomes.append("ok")
        except DomainError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(p,)) for p in (cast.person_a, cast.person_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slot.refresh_from_db()
    assert sorted(outcomes) == ["full", "ok"] and slot.taken == 1
