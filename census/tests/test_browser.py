"""A model worker on a phone (375 px): opens their census link, confirms, then takes it back with
撤回 within the ten minutes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from census import services
from census.models import CensusRecord
from core.testing import build_cast

pytestmark = [pytest.mark.browser]


def test_person_confirms_on_a_phone_and_withdraws(browser: Any, live_server: Any, transactional_db: None) -> None:
    cast = build_cast()
    campaign = services.open_campaign(actor=cast.city, year=2026)
    record = campaign.records.get(person=cast.person_a)
    token = services.create_personal_link(actor=cast.district_a, record=record)
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + reverse("census:personal", kwargs={"token": token}))
    assert page.title() == "2026年度劳模工匠普查 - 劳模工匠服务"
    page.get_by_role("button", name="确认信息无误").click()
    page.wait_for_url("**?done=confirmed")
    assert page.get_by_role("heading", name="谢谢！您已确认信息无误。").is_visible()
    undo = page.get_by_role("button", name="撤回")
    box = undo.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] > 300
    shots = Path(settings.BASE_DIR) / "var" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "census-personal-undo-phone.png"), full_page=True)
    undo.click()
    page.wait_for_url("**?done=withdrawn")
    assert page.get_by_role("heading", name="已撤回").is_visible()
    assert page.get_by_role("button", name="撤回").count() == 0
    assert CensusRecord.objects.get(pk=record.pk).state == "pending"
    context.close()
