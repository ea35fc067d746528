"""In a real browser: a clerk moves a hardship file on one step, at desktop width and at 390 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from casework.tests import hardship_factories as hf
from tests.cast import build_cast, staff_page

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_clerk_moves_a_file_on_at_desktop_and_phone_width(browser: Any, live_server: Any) -> None:
    cast = build_cast()
    file = hf.new_file(cast)
    with staff_page(browser, live_server, cast.district_a) as page:
        page.goto(f"{live_server.url}/casework/hardship/{file.pk}/")
        page.screenshot(path=str(settings.BASE_DIR / "var" / "hardship-desktop.png"), full_page=True)
        page.get_by_role("button", name="提交至「基层核实」").click()
        page.wait_for_load_state()
        assert "已提交至「基层核实」" in page.content()
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/casework/hardship/{file.pk}/")
        page.screenshot(path=str(settings.BASE_DIR / "var" / "hardship-390.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 420
    file.refresh_from_db()
    assert file.step == "verify"
