"""In a real browser: a district clerk asks for an extension, a city clerk approves it and transfers
the case; the settings page and the case page at 390 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from casework.models import PetitionCase
from casework.petitions import services
from tests.cast import build_cast, staff_page

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_extension_approved_and_transferred(browser: Any, live_server: Any) -> None:
    cast = build_cast()
    case = services.register_case(
        actor=cast.district_a, channel="call", name="赵大海", matter="反映单位拖欠工资", district=cast.region_a
    )
    services.accept_case(actor=cast.district_a, case=case)
    shots = settings.BASE_DIR / "var"
    url = f"{live_server.url}/casework/petitions/{case.pk}/"
    with staff_page(browser, live_server, cast.district_a) as page:
        page.goto(url)
        page.get_by_label("延期天数").fill("10")
        page.get_by_label("延期理由").fill("需与社保部门会商")
        page.get_by_role("button", name="申请延期").click()
        page.locator("[data-confirm-ok]").click()
        page.wait_for_load_state()
        page.screenshot(path=str(shots / "petrules-requested.png"), full_page=True)
        page.get_by_text("已提交延期申请，等待审批").wait_for(timeout=10000)
        assert "审批延期申请" not in page.content()  # not one's own
    with staff_page(browser, live_server, cast.city) as page:
        page.goto(url)
        page.get_by_label("审批意见").fill("同意延期")
        page.get_by_role("button", name="提交审批").click()
        page.get_by_text("已批准延期").first.wait_for()
        page.get_by_label("承办人").select_option(label=cast.district_a.display_name or cast.district_a.username)
        page.get_by_label("转办理由").fill("由区总工会权益部承办")
        page.get_by_role("button", name="转办", exact=True).click()
        page.get_by_text("由区总工会权益部承办").wait_for()
        page.screenshot(path=str(shots / "petrules-case-desktop.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        for name, path in (("case", f"/casework/petitions/{case.pk}/"), ("settings", "/casework/petitions/settings/")):
            page.goto(live_server.url + path)
            page.screenshot(path=str(shots / f"petrules-{name}-390.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 420, name
    case = PetitionCase.objects.get(pk=case.pk)
    assert case.extended_days == 10
    assert case.transfers.count() == 1
