"""trips.checkups in a real browser: city staff adjust a booked slot's places (refused below the
booked, in words) and delete a free slot through the 系统提示 dialog; a model worker reads the
reminder block of tomorrow's check-up on a 390 px phone in large-font mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from core import notify
from tests.cast import build_cast, phone_context, phone_sign_in, staff_page
from trips.checkups import services
from trips.models.checkups import CheckupSlot
from trips.tests import checkups_factories as f

pytestmark = [pytest.mark.browser]


def test_city_adjusts_places_and_deletes_a_free_slot(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:
    cast = build_cast()
    booked = f.slot(5, days=2)
    services.book_slot(actor=cast.city, person=cast.person_a, slot=booked)
    services.book_slot(actor=cast.city, person=cast.person_b, slot=booked)
    free = f.slot(3, days=3)
    with staff_page(browser, live_server, cast.city) as page:
        page.goto(live_server.url + reverse("trips:checkups_slot_edit", args=[booked.pk]))
        page.get_by_label("名额").fill("1")
        page.get_by_role("button", name="确定").click()
        page.wait_for_load_state()
        assert page.get_by_text("已有 2 人预约，名额不能少于已约人数").is_visible()
        page.screenshot(path=str(screenshots_dir / "checkups2-slot-capacity-refused.png"), full_page=True)
        page.get_by_label("名额").fill("2")
        page.get_by_role("button", name="确定").click()
        page.wait_for_url(f"**/trips/checkups/{booked.campaign_id}/")
        assert CheckupSlot.objects.get(pk=booked.pk).capacity == 2

        page.locator(f"form[action='{reverse('trips:checkups_slot_delete', args=[free.pk])}'] button").click()
        dialog = page.locator("dialog[open]")
        assert dialog.get_by_text("是否确认删除").is_visible()
        page.screenshot(path=str(screenshots_dir / "checkups2-slot-delete-confirm.png"), full_page=True)
        dialog.get_by_role("button", name="确定").click()
        page.wait_for_load_state()
        page.get_by_text("已删除").first.wait_for()
        page.screenshot(path=str(screenshots_dir / "checkups2-slot-deleted.png"), full_page=True)
    assert not CheckupSlot.objects.filter(pk=free.pk).exists()
    assert CheckupSlot.objects.filter(pk=booked.pk).exists()


def test_worker_reads_the_reminder_block_on_a_large_font_phone(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path, settings: Any
) -> None:
    settings.SMS_BACKEND = "core.notify.MemorySmsBackend"
    notify.MemorySmsBackend.outbox = []
    cast = build_cast()
    slot = f.slot(3, days=1)
    slot.hospital.phone = "0574-87085588"
    slot.hospital.notes = "请从门诊楼三楼体检中心进入"
    slot.hospital.save()
    services.book_slot(actor=cast.worker_a, person=cast.person_a, slot=slot)
    services.send_reminders()
    context = phone_context(browser, live_server)
    page = context.new_page()
    phone_sign_in(page, live_server, cast.person_a.mobile)
    page.goto(live_server.url + reverse("trips:checkups_mine"))
    assert page.get_by_text("明天体检", exact=True).is_visible()
    assert page.get_by_text("请带好").is_visible() and page.get_by_text("空腹", exact=True).is_visible()
    assert page.get_by_role("heading", name="提醒消息").is_visible()
    assert page.get_by_role("link", name="我要改约").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshots_dir / "checkups2-phone-reminder-large.png"), full_page=True)
    context.close()
