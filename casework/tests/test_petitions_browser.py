"""In a real browser: a clerk logs a call, tells the caller it is accepted and closes it (desktop);
the work list and the figures page at 390 px."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings

from casework.models import PetitionCase
from casework.petitions import demo
from tests.cast import build_cast, staff_page

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_clerk_logs_a_call_and_closes_it(browser: Any, live_server: Any) -> None:
    cast = build_cast()
    demo.build(size=400, seed=2026, stdout=io.StringIO())  # a real office's list and figures around it
    shots = settings.BASE_DIR / "var"
    with staff_page(browser, live_server, cast.district_a) as page:
        page.goto(f"{live_server.url}/casework/petitions/new/")
        page.get_by_label("渠道").select_option(label="来电")
        page.get_by_label("类型").select_option(label="咨询")
        page.get_by_label("信访人").fill("赵大海")
        page.get_by_label("手机号").fill("13700001111")
        page.get_by_label("区县(市)").select_option(label=cast.region_a.name)
        page.get_by_label("信访事项").fill("咨询劳模荣誉津贴的发放时间")
        page.get_by_role("button", name="保存").click()
        page.wait_for_load_state()
        assert "待告知受理" in page.content()
        page.get_by_role("button", name="告知受理").click()
        page.wait_for_load_state()
        assert "办理中" in page.content()
        page.get_by_label("答复意见").fill("已电话告知发放时间为每月 10 日。")
        page.get_by_label("满意度").select_option(label="满意")
        page.get_by_role("button", name="办结").last.click()
        page.locator("[data-confirm-ok]").click()  # the 系统提示 dialog asks first
        page.wait_for_url("**/casework/petitions/*/")
        page.get_by_text("已办结").first.wait_for()
        page.screenshot(path=str(shots / "petitions-desktop.png"), full_page=True)
        page.goto(f"{live_server.url}/casework/petitions/figures/")
        page.screenshot(path=str(shots / "petitions-figures-desktop.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        for name, path in (("list", "/casework/petitions/?view=open"), ("figures", "/casework/petitions/figures/")):
            page.goto(live_server.url + path)
            page.screenshot(path=str(shots / f"petitions-{name}-390.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 420, name
    case = PetitionCase.objects.get(name="赵大海")
    assert (case.status, case.kind, case.satisfaction) == ("closed", "inquiry", "satisfied")
    assert case.noticed_on is not None
