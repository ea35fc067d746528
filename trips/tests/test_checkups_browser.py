"""trips.checkups in a real browser: a model worker books a slot on a 390 px phone in large-font
mode; a district clerk marks attendance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from core import notify
from tests.cast import build_cast, phone_context, phone_sign_in, staff_page
from trips.models.checkups import BookingStatus, CheckupBooking
from trips.tests import checkups_factories as f

pytestmark = [pytest.mark.browser]


def test_worker_books_on_phone_and_clerk_marks_attendance(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path, settings: Any
) -> None:
    settings.SMS_BACKEND = "core.notify.MemorySmsBackend"
    notify.MemorySmsBackend.outbox = []
    cast = build_cast()
    slot = f.slot(3, days=0)
    context = phone_context(browser, live_server)
    page = context.new_page()
    phone_sign_in(page, live_server, cast.person_a.mobile)
    page.get_by_role("link", name="我的体检").click()
    page.wait_for_url("**/trips/checkups/me/")
    assert page.evaluate("document.body.classList.contains('large')")
    page.get_by_role("radio").first.check()
    page.screenshot(path=str(screenshots_dir / "checkups-phone-book-large.png"), full_page=True)
    page.get_by_role("button", name="确认预约").click()
    page.wait_for_url("**/trips/checkups/me/")
    assert page.get_by_role("heading", name="我的预约").is_visible()
    page.screenshot(path=str(screenshots_dir / "checkups-phone-booked-large.png"), full_page=True)
    context.close()
    booking = CheckupBooking.objects.get(person=cast.person_a, slot=slot)

    with staff_page(browser, live_server, cast.district_a) as staff:
        staff.goto(live_server.url + reverse("trips:checkups_bookings", args=[slot.campaign_id]))
        staff.get_by_role("button", name="到检").first.click()
        staff.wait_for_load_state()
        staff.screenshot(path=str(screenshots_dir / "checkups-clerk-attendance.png"), full_page=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
