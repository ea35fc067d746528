"""In a real browser: a clerk finds a person, adds them to a visit plan and takes them off again
(the 系统提示 dialog asks first), at 390 px without sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from casework.tests import hardship_factories as hf
from tests.cast import build_cast, staff_page

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_clerk_adds_a_person_to_a_plan_and_removes_them(browser: Any, live_server: Any) -> None:
    cast = build_cast()
    plan = hf.plan(cast)
    plan.targets.filter(person=cast.person_a).delete()
    with staff_page(browser, live_server, cast.district_a) as page:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/casework/visits/plans/{plan.pk}/?q={cast.person_a.name}")
        page.screenshot(path=str(settings.BASE_DIR / "var" / "tidy-plan-search-390.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 420
        page.get_by_role("button", name="加入计划").click()
        page.wait_for_load_state()
        assert f"已将「{cast.person_a.name}」加入计划" in page.content()
        page.get_by_role("button", name="移出").first.click()
        page.screenshot(path=str(settings.BASE_DIR / "var" / "tidy-plan-confirm-390.png"), full_page=True)
        page.locator("[data-confirm-ok]").click()
        page.wait_for_load_state()
        assert f"已将「{cast.person_a.name}」移出计划" in page.content()
    assert not plan.targets.filter(person=cast.person_a).exists()
