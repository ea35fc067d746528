"""三员分立 in a real browser: the security administrator disables the auditor's account on 账号安全
(with the confirmation); the system administrator's page refuses the same act."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.cast import build_cast, staff_page

pytestmark = [pytest.mark.browser]


def test_security_admin_disables_the_auditor(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:

    cast = build_cast()
    with staff_page(browser, live_server, cast.secadmin) as page:
        page.goto(live_server.url + reverse("system:account_security"))
        row = page.locator("tr", has_text="auditor").first
        row.get_by_role("button", name="停用").click()
        assert page.locator("#confirm-text").inner_text() == "是否确认停用“auditor”？"
        page.locator("[data-confirm-ok]").click()
        page.wait_for_selector("text=操作成功：账号已停用")
        page.screenshot(path=str(screenshots_dir / "separation-secadmin-desktop.png"), full_page=True)
        cast.auditor.refresh_from_db()
        assert cast.auditor.is_active is False
        own = page.locator("tr", has_text="secadmin").first
        assert own.get_by_role("button", name="停用").count() == 0
