"""City staff in a real browser: open a draft round, approve it through the 系统提示 dialog,
then see the dashboard's ECharts charts drawn (desktop and phone widths)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from payments import services
from payments.models import PayoutRound, RoundStatus
from payments.tests import helpers
from people.services import update_person
from tests.cast import build_cast, staff_sign_in

pytestmark = [pytest.mark.browser]

SIZES = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
}


@pytest.mark.parametrize("size", list(SIZES))
def test_city_staff_approve_a_round_and_see_the_dashboard(
    size: str, browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:
    cast = build_cast()
    round_ = helpers.draft(cast)  # drafted by city2, so city may approve
    device = TOTPDevice.objects.create(user=cast.city, name="手机", confirmed=True)
    page = browser.new_context(locale="zh-CN", **SIZES[size]).new_page()
    page.goto(f"{live_server.url}/payments/rounds/{round_.pk}/")
    staff_sign_in(page, "city", device, lands_on=f"**/payments/rounds/{round_.pk}/")
    assert "¥2,500.00" in page.locator(".stats").inner_text()

    page.click("text=批准（冻结名单）")
    dialog = page.locator("#confirm-dialog")
    assert "是否确认批准“2026年春节慰问金”（2 人，¥2,500.00）" in dialog.inner_text()
    page.screenshot(path=str(screenshots_dir / f"payments-approve-confirm-{size}.png"))
    dialog.locator("[data-confirm-ok]").click()
    page.wait_for_load_state()
    assert "批次已批准，名单已冻结" in page.locator(".messages").inner_text()
    assert PayoutRound.objects.get(pk=round_.pk).status == RoundStatus.APPROVED
    page.screenshot(path=str(screenshots_dir / f"payments-round-{size}.png"), full_page=True)

    page.goto(f"{live_server.url}/payments/overview/")
    page.wait_for_function("document.querySelectorAll('#chart-district canvas').length > 0")
    assert page.locator("#chart-amount canvas").count() == 1
    page.screenshot(path=str(screenshots_dir / f"payments-dashboard-{size}.png"), full_page=True)


def test_the_city_sees_missing_bank_details_and_which_districts_have_reported(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:

    cast = build_cast()
    helpers.honour_cast(cast)
    update_person(actor=None, person=cast.person_a, bank_account="")
    round_ = helpers.draft(cast)
    services.report_district(actor=cast.district_b, round_=round_, district=cast.region_b)
    device = TOTPDevice.objects.create(user=cast.city, name="手机", confirmed=True)
    page = browser.new_context(locale="zh-CN", **SIZES["desktop"]).new_page()
    page.goto(f"{live_server.url}/payments/rounds/{round_.pk}/")
    staff_sign_in(page, "city", device, lands_on=f"**/payments/rounds/{round_.pk}/")
    notice = page.locator("[role=alert]")
    assert "1 人缺少银行账号或开户银行" in notice.inner_text()
    assert notice.locator("a", has_text="补全银行信息").get_attribute("href") == f"/people/{cast.person_a.pk}/edit/"
    assert "未上报：鄞州区" in page.inner_text("body")
    assert page.locator("text=批准（冻结名单）").is_disabled()
    page.screenshot(path=str(screenshots_dir / "payments-round-review.png"), full_page=True)
