"""In a real browser: the city opens an incident from its page; district staff on a 390 px screen
create a team, add a member found by name, record an activity with hours and end the membership."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from core.reference.loader import load_all_reference
from tests.cast import build_cast, staff_page
from volunteering.incidents import services
from volunteering.models import Activity, Incident, Specialty, Team, TeamMember

pytestmark = [pytest.mark.browser]


def test_open_incident_and_run_a_team(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:
    cast = build_cast()
    load_all_reference()
    with staff_page(browser, live_server, cast.city) as page:
        page.goto(live_server.url + reverse("volunteering:incident_list"))
        page.click("text=启动应急事件")
        page.fill("#id_title", "台风灿都")
        page.select_option("#id_kind", "typhoon")
        page.check(f"input[name=areas][value='{cast.region_a.pk}']")
        page.screenshot(path=str(screenshots_dir / "volpages-incident-form.png"), full_page=True)
        page.click("button:has-text('启动')")
        page.wait_for_selector("text=应急事件已启动")
        page.screenshot(path=str(screenshots_dir / "volpages-incident-detail.png"), full_page=True)
    incident = Incident.objects.get(title="台风灿都")

    phone = {"viewport": {"width": 390, "height": 844}}
    with staff_page(browser, live_server, cast.district_a, **phone) as page:
        page.goto(live_server.url + reverse("volunteering:team_list"))
        page.click("text=新建服务队")
        page.fill("#id_name", "鄞州电工服务队")
        page.select_option("#id_specialty", label="电工")
        page.select_option("#id_district", str(cast.region_a.pk))
        page.screenshot(path=str(screenshots_dir / "volpages-team-form-390.png"), full_page=True)
        page.click("button:has-text('保存')")
        page.wait_for_selector("text=服务队已建立")
        team = Team.objects.get(name="鄞州电工服务队")

        page.click("text=添加队员")
        # Search as you type (htmx): the results come without a reload, and 选用 fills the number.
        page.fill("input[name=q]", cast.person_a.name)
        page.click("#person-results a:has-text('选用')")
        page.wait_for_selector(f"text=已选用 {cast.person_a.name}")
        assert page.input_value("#id_person") == str(cast.person_a.pk)
        assert "pick=" not in page.url
        page.fill("#id_joined", "2024-03-01")
        page.screenshot(path=str(screenshots_dir / "volpages-member-form-390.png"), full_page=True)
        page.click("button:has-text('加入本队')")
        page.wait_for_selector("text=已加入本队")

        page.click("text=登记服务活动")
        page.fill("#id_date", "2025-07-01")
        page.fill("#id_work_done", "抢修电机")
        page.fill("#id_machines_repaired", "10")
        page.fill(f"#id_h_{cast.person_a.pk}", "3.5")
        page.screenshot(path=str(screenshots_dir / "volpages-activity-form-390.png"), full_page=True)
        page.click("button:has-text('登记')")
        page.wait_for_selector("text=活动已登记")

        page.click("text=办理离队")
        page.fill("#id_left", "2025-12-31")
        page.click("button:has-text('确认离队')")
        page.click("#confirm-dialog [data-confirm-ok]")
        page.wait_for_selector("text=已办理离队")
        page.screenshot(path=str(screenshots_dir / "volpages-team-detail-390.png"), full_page=True)

        page.goto(live_server.url + reverse("volunteering:incident_detail", args=[incident.pk]))
        page.click("text=指派服务队")
        page.select_option("#id_team", str(team.pk))
        page.click("button:has-text('指派')")
        page.wait_for_selector("text=已指派服务队")
        page.screenshot(path=str(screenshots_dir / "volpages-incident-390.png"), full_page=True)

        need = services.create_need(
            actor=None,
            incident=incident,
            region=cast.region_a,
            place="某电机厂",
            specialty=Specialty.objects.get(code="electric"),
            people_needed=1,
        )
        callout = services.send_callout(actor=None, need=need, person_ids=[cast.person_b.pk])
        page.reload()
        page.fill("input[name=reason]", "已有人到场")
        page.click("button:has-text('撤回召集')")
        page.click("#confirm-dialog [data-confirm-ok]")
        page.wait_for_selector("text=召集已撤回")
        page.screenshot(path=str(screenshots_dir / "volpages-withdrawn-390.png"), full_page=True)
        callout.refresh_from_db()
        assert callout.status == "withdrawn"

    assert Activity.objects.get(team=team).machines_repaired == 10
    assert TeamMember.objects.get(team=team, person=cast.person_a).left is not None
    assert incident.areas.filter(team=team).exists()
