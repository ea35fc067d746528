"""trips.journeys in a real browser: a model worker accepts an invitation on a 390 px phone in
large-font mode (长辈版) and registers a companion; screenshots var/triplists-*.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from core import notify
from core.idnumber import check_char
from tests.cast import build_cast, phone_context, phone_sign_in, staff_page
from trips.models import Batch, BatchQuota, Companion, Nomination, NominationStatus, TravelPlace, TripRoute

pytestmark = [pytest.mark.browser]


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_worker_accepts_and_adds_companion_on_large_font_phone(
    browser: Any, live_server: Any, transactional_db: None, settings: Any
) -> None:
    settings.SMS_BACKEND = "core.notify.MemorySmsBackend"
    notify.MemorySmsBackend.outbox = []
    shots = Path(django_settings.BASE_DIR) / "var"
    cast = build_cast()
    route = TripRoute.objects.create(
        name="象山线", destination="象山", days=5, cost_per_day=300, programme="第一天：出发，入住\n第二天：参观"
    )
    start = dt.date.today() + dt.timedelta(days=30)
    b = Batch.objects.create(
        route=route,
        name="象山第1批",
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        capacity=10,
        departure="市总工会门口",
    )
    BatchQuota.objects.create(batch=b, district=cast.region_a, places=5)
    n = Nomination.objects.create(
        batch=b, person=cast.person_a, district=cast.region_a, status=NominationStatus.INVITED, rank=1
    )
    context = phone_context(browser, live_server)
    page = context.new_page()
    phone_sign_in(page, live_server, cast.person_a.mobile)
    page.goto(live_server.url + reverse("trips:journeys_my_trips"))
    assert page.evaluate("document.body.classList.contains('large')")
    page.screenshot(path=str(shots / "triplists-invitation.png"), full_page=True)
    _no_sideways_scroll(page)
    page.get_by_role("button", name="参加", exact=True).click()
    page.wait_for_url("**/companions/")
    page.screenshot(path=str(shots / "triplists-companions-empty.png"), full_page=True)
    _no_sideways_scroll(page)
    # Submitting with details missing: every problem at once, in words, what was typed kept.
    page.get_by_label("家属姓名").fill("万小红")
    page.get_by_role("button", name="确认登记家属").click()
    page.get_by_text("请修改以下内容后再提交").wait_for()
    assert page.get_by_label("家属姓名").input_value() == "万小红"
    page.screenshot(path=str(shots / "triplists-companion-errors.png"), full_page=True)
    _no_sideways_scroll(page)
    first17 = "330212" + "19700315" + "024"
    page.get_by_label("与劳模关系").select_option(label="配偶")
    page.get_by_label("家属身份证号").fill(first17 + check_char(first17))
    page.get_by_label("家属手机号").fill("13905741234")
    page.get_by_label("自费金额（元）").fill("1280")
    page.get_by_role("button", name="确认登记家属").click()
    page.get_by_text("已登记随行家属 万小红").wait_for()
    for button in page.locator(".btn-main").all():
        assert button.bounding_box()["height"] >= 60
    page.screenshot(path=str(shots / "triplists-companion-added.png"), full_page=True)
    _no_sideways_scroll(page)
    page.get_by_role("link", name="完成，返回我的疗休养").click()
    page.wait_for_url("**/trips/my/")
    page.screenshot(path=str(shots / "triplists-my-trips.png"), full_page=True)
    context.close()
    n.refresh_from_db()
    assert n.status == NominationStatus.ACCEPTED
    c = Companion.objects.get(nomination=n)
    assert (c.name, c.relation, str(c.paid)) == ("万小红", "spouse", "1280.00")

    with staff_page(browser, live_server, cast.city) as staff:
        staff.goto(live_server.url + reverse("trips:journeys_travel", args=[b.pk]))
        staff.get_by_role("button", name="按规则生成分房和座位").click()
        staff.get_by_text("已按规则生成分房和座位安排").wait_for()
        staff.screenshot(path=str(shots / "triplists-staff-travel.png"), full_page=True)
        staff.goto(live_server.url + reverse("trips:journeys_boarding", args=[b.pk]))
        staff.screenshot(path=str(shots / "triplists-staff-boarding.png"), full_page=True)
        # On the day: the escort on a phone; someone not cleared cannot be marked present.
        today = Batch.objects.create(
            route=route, name="象山第2批", start_date=dt.date.today(), end_date=dt.date.today(), capacity=5
        )
        BatchQuota.objects.create(batch=today, district=cast.region_b, places=5)
        Nomination.objects.create(
            batch=today, person=cast.person_b, district=cast.region_b, status=NominationStatus.ACCEPTED, rank=1
        )
        staff.set_viewport_size({"width": 390, "height": 844})
        staff.goto(live_server.url + reverse("trips:journeys_boarding", args=[today.pk]))
        staff.get_by_role("button", name="已到", exact=True).click()
        staff.get_by_text("单秀英 的出发前核查未完成，也没有市总特许，不能登车").wait_for()
        staff.screenshot(path=str(shots / "triplists-staff-boarding-390.png"), full_page=True)
        staff.get_by_role("button", name="未到", exact=True).click()
        staff.get_by_text("应到 1 · 已到 0 · 未到 1 · 未签到 0").wait_for()
    assert TravelPlace.objects.filter(batch=b).count() == 2
