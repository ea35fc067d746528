"""trips.journeys in a real browser: the city moves places between districts; a district official
clears a traveller's pre-departure checklist (desktop and 390 px)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.cast import build_cast, staff_page
from trips.models import Batch, BatchQuota, Checklist, Nomination, NominationStatus, TripRoute

pytestmark = [pytest.mark.browser]


def test_city_moves_places_and_district_clears_checklist(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:
    cast = build_cast()
    route = TripRoute.objects.create(name="仙居线", destination="仙居", days=5, cost_per_day=300)
    leave = timezone.now() + dt.timedelta(hours=48)
    start = timezone.localdate(leave)
    b = Batch.objects.create(
        route=route,
        name="仙居第1批",
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        capacity=10,
        departure="市总工会门口",
        departure_at=leave,
        checklist_items=["健康声明", "紧急联系人", "保险"],
    )
    BatchQuota.objects.create(batch=b, district=cast.region_a, places=6)
    BatchQuota.objects.create(batch=b, district=cast.region_b, places=4)
    n = Nomination.objects.create(
        batch=b, person=cast.person_a, district=cast.region_a, status=NominationStatus.ACCEPTED, rank=1
    )

    with staff_page(browser, live_server, cast.city) as page:
        page.goto(live_server.url + reverse("trips:journeys_quotas", args=[b.pk]))
        page.get_by_label("调出区县").select_option(str(cast.region_a.pk))
        page.get_by_label("调入区县").select_option(str(cast.region_b.pk))
        page.get_by_label("调剂名额").fill("2")
        page.get_by_role("button", name="调剂", exact=True).click()
        page.locator("#confirm-dialog [data-confirm-ok]").click()
        page.wait_for_url("**/quotas/")
        page.get_by_text("已调剂名额").wait_for()
        page.screenshot(path=str(screenshots_dir / "journeys-quotas.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(screenshots_dir / "journeys-quotas-390.png"), full_page=True)
        page.goto(live_server.url + reverse("trips:journeys_batch_edit", args=[b.pk]))
        page.get_by_label("返回日期").fill(str(start - dt.timedelta(days=1)))
        page.get_by_role("button", name="保存").click()
        page.get_by_text("返回日期不能早于出发日期").wait_for()
        page.screenshot(path=str(screenshots_dir / "journeys-batch-form-390.png"), full_page=True)
    assert BatchQuota.objects.get(batch=b, district=cast.region_b).places == 6

    with staff_page(browser, live_server, cast.district_a) as page:
        page.goto(live_server.url + reverse("trips:journeys_checklist", args=[b.pk]))
        for label in ("健康声明", "紧急联系人", "保险"):
            page.get_by_label(label).check()
        page.get_by_role("button", name="保存").click()
        page.get_by_text("已保存").wait_for()
        assert page.get_by_text("已核查完毕", exact=True).is_visible()
        page.screenshot(path=str(screenshots_dir / "journeys-checklist.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(screenshots_dir / "journeys-checklist-390.png"), full_page=True)
    assert Checklist.objects.get(nomination=n).cleared
