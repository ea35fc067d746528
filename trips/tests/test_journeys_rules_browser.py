"""trips.journeys (triprules) in a real browser: a traveller rates the trip on a 390 px phone in
large-font mode; the city sees the feedback, records a cost and opens the figures page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from core import notify
from tests.cast import build_cast, phone_context, phone_sign_in, staff_page
from trips.models import Batch, BatchCost, BatchQuota, Nomination, NominationStatus, TripFeedback, TripRoute, TripRules

pytestmark = [pytest.mark.browser]


def test_traveller_rates_on_phone_and_city_sees_costs_and_figures(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path, settings: Any
) -> None:
    settings.SMS_BACKEND = "core.notify.MemorySmsBackend"
    notify.MemorySmsBackend.outbox = []
    cast = build_cast()
    route = TripRoute.objects.create(name="舟山海岛疗休养", destination="舟山", days=5, cost_per_day=340)
    end = timezone.localdate() - dt.timedelta(days=2)
    b = Batch.objects.create(
        route=route, name="舟山第1批", start_date=end - dt.timedelta(days=4), end_date=end, capacity=10
    )
    BatchQuota.objects.create(batch=b, district=cast.region_a, places=5)
    n = Nomination.objects.create(
        batch=b, person=cast.person_a, district=cast.region_a, status=NominationStatus.ACCEPTED, rank=1
    )
    TripRules.objects.create(cap_per_day=Decimal("300"), cap_per_year=Decimal("3000"))

    context = phone_context(browser, live_server)
    page = context.new_page()
    phone_sign_in(page, live_server, cast.person_a.mobile)
    page.goto(live_server.url + reverse("trips:journeys_my_trips"))
    page.get_by_role("link", name="评价本次疗休养").click()
    page.wait_for_url("**/feedback/")
    assert page.evaluate("document.body.classList.contains('large')")
    page.get_by_label("★★★★ 4").check()
    page.get_by_label("意见建议").fill("行程安排周到，住宿很好")
    page.screenshot(path=str(screenshots_dir / "triprules-phone-feedback-large.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_url("**/trips/my/")
    page.get_by_text("感谢您的评价").wait_for()
    context.close()
    assert TripFeedback.objects.get(nomination=n).rating == 4

    BatchCost.objects.create(batch=b, item="lodging", amount=Decimal("1200.00"))
    with staff_page(browser, live_server, cast.city) as staff:
        staff.goto(live_server.url + reverse("trips:journeys_batch", args=[b.pk]))
        staff.get_by_text("行程安排周到").wait_for()
        staff.screenshot(path=str(screenshots_dir / "triprules-batch.png"), full_page=True)
        staff.goto(live_server.url + reverse("trips:journeys_costs", args=[b.pk]))
        staff.get_by_label("费用项目").select_option("meals")
        staff.get_by_label("金额(元)").fill("450.50")
        staff.get_by_role("button", name="登记").click()
        staff.get_by_text("已登记费用").wait_for()
        staff.screenshot(path=str(screenshots_dir / "triprules-costs.png"), full_page=True)
        staff.goto(live_server.url + reverse("trips:journeys_figures") + f"?year={b.start_date.year}")
        staff.locator("#chart-years canvas").wait_for()
        staff.screenshot(path=str(screenshots_dir / "triprules-figures.png"), full_page=True)
        staff.goto(live_server.url + reverse("trips:journeys_rules"))
        staff.screenshot(path=str(screenshots_dir / "triprules-rules.png"), full_page=True)
    assert BatchCost.objects.filter(batch=b).count() == 2
