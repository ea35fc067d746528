"""District staff in a real browser: log in with the second factor, search by pinyin initials,
open a person, see the masked ID, and find another district's person does not exist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.cast import PASSWORD, WORKER_A_ID, WORKER_B_ID, build_cast, current_token

pytestmark = [pytest.mark.browser]

SIZES = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {
        "viewport": {"width": 375, "height": 812},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}


@pytest.mark.parametrize("size", list(SIZES))
def test_district_staff_search_open_and_scope(
    size: str, browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:
    cast = build_cast()
    device = TOTPDevice.objects.create(user=cast.district_a, name="手机", confirmed=True)
    context = browser.new_context(locale="zh-CN", **SIZES[size])
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/people/")
        assert "/accounts/login/" in page.url
        page.fill("#id_username", "district_a")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/accounts/otp/**")
        page.fill("#id_token", current_token(device))
        page.screenshot(path=str(screenshots_dir / f"people-otp-{size}.png"), full_page=True)
        page.click("button[type=submit]")
        page.wait_for_url("**/people/")

        page.fill("#id_q", "wyy")
        page.press("#id_q", "Enter")
        page.wait_for_url("**/people/?*q=wyy*")
        rows = page.locator("#people-table tbody tr")
        assert rows.count() == 1
        assert rows.first.locator("td").nth(1).inner_text().startswith("万亚勇")
        assert "共 1 条" in page.locator(".pagination").inner_text()
        page.screenshot(path=str(screenshots_dir / f"people-list-{size}.png"), full_page=True)

        page.locator("#people-table tbody").get_by_role("link", name="万亚勇", exact=True).click()
        page.wait_for_url(f"**/people/{cast.person_a.pk}/")
        assert page.locator("#id-number").inner_text() == "3302**********0013"
        assert WORKER_A_ID not in page.content()
        assert page.locator("h1").first.inner_text().startswith("万亚勇")
        page.screenshot(path=str(screenshots_dir / f"people-detail-{size}.png"), full_page=True)

        response = page.goto(f"{live_server.url}/people/{cast.person_b.pk}/")
        assert response is not None and response.status == 404
        assert "不在您的数据范围内" in page.inner_text("body")
        assert "单秀英" not in page.content() and WORKER_B_ID not in page.content()
        page.screenshot(path=str(screenshots_dir / f"people-404-{size}.png"), full_page=True)
    finally:
        context.close()
