"""The whole call-out in a real browser: district staff enter a need and send a call-out from the
proposal; a craftsman on a 390 px phone (large-font mode) opens the text message's link, signs in
with a code, answers 可以去 (tapping twice records once); staff dispatch them; the craftsman checks
in and checks out with results on the phone; the live board shows called / answered / dispatched /
on site. Screenshots: var/volphone-*.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from core import notify
from core.models import AuditEntry, Role
from people.models import Trade
from people.services import set_skill
from tests.cast import build_cast, make_user, phone_context, staff_page
from volunteering.incidents import services
from volunteering.models import Answer, CallOutAnswer, Dispatch, DispatchStatus, Need

pytestmark = [pytest.mark.browser]

SHOTS = Path(django_settings.BASE_DIR) / "var"


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"volphone-{name}.png"), full_page=True)


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def sign_in_on_phone(phone: Any, mobile: str, lands_on: str = "**/p/") -> None:
    phone.get_by_label("手机号").fill(mobile)
    phone.get_by_role("button", name="获取短信验证码").click()
    phone.wait_for_url("**/p/login/code/")
    code = notify.MemorySmsBackend.outbox[-1][1].split("验证码是")[1][:6]
    phone.get_by_label("短信验证码").fill(code)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(lands_on)


def test_callout_answer_dispatch_check_in_out_on_the_board(
    browser: Any, live_server: Any, transactional_db: None, settings: Any
) -> None:
    settings.SMS_BACKEND = "core.notify.MemorySmsBackend"
    notify.MemorySmsBackend.outbox = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    cast = build_cast()
    set_skill(actor=None, person=cast.person_a, trade=Trade.objects.get(code="01"), grade="2", specialties="")
    incident = services.open_incident(
        actor=None, title="台风烟花", kind="typhoon", started=timezone.now(), areas=[cast.region_a]
    )

    # District staff enter the need and send the call-out from the proposal.
    with staff_page(browser, live_server, cast.district_a) as staff:
        call_out_answer_dispatch_report(browser, live_server, cast, incident, staff)


def call_out_answer_dispatch_report(browser: Any, live_server: Any, cast: Any, incident: Any, staff: Any) -> None:
    """The steps, with one staff browser page throughout (a second sign-in adds a second authenticator)."""
    staff.goto(live_server.url + reverse("volunteering:need_create", args=[incident.pk]))
    staff.get_by_label("所在区域").select_option(label=str(cast.region_a))
    staff.get_by_label("地点/企业").fill("某电机厂（受淹）")
    staff.get_by_label("所需专业").select_option(label="电工")
    staff.get_by_label("所需人数").fill("5")
    staff.get_by_label("紧急程度").select_option(label="特急")
    staff.get_by_label("现场联系人").fill("李厂长")
    staff.get_by_label("联系电话").fill("13900002222")
    shot(staff, "01-need-form")
    staff.get_by_role("button", name="确定").click()
    staff.wait_for_url("**/volunteering/needs/*/propose/")
    assert "万亚勇" in staff.content()
    shot(staff, "02-proposal")
    staff.get_by_label("召集说明").fill("请带万用表")
    staff.get_by_role("button", name="发送召集").click()
    staff.click("#confirm-dialog [data-confirm-ok]")
    staff.wait_for_url(f"**/volunteering/incidents/{incident.pk}/")
    shot(staff, "03-callout-sent")
    need = Need.objects.get(incident=incident)
    row = CallOutAnswer.objects.get(callout__need=need, person=cast.person_a)

    # The text message carries a full link; opened before signing in, it leads to the phone sign-in.
    texts = [t for m, t in notify.MemorySmsBackend.outbox if m == cast.person_a.mobile]
    assert len(texts) == 1
    link = re.search(r"https?://\S+", texts[0])
    assert link is not None, texts[0]
    context = phone_context(browser, live_server)
    phone = context.new_page()
    phone.goto(link.group(0))
    phone.wait_for_url("**/p/login/**")
    assert phone.get_by_text("登录后即可答复应急召集").is_visible()
    shot(phone, "04-phone-login")
    # Signed in, the phone comes back to the message's page.
    sign_in_on_phone(phone, cast.person_a.mobile, lands_on="**/volunteering/p/callouts/")
    shot(phone, "05-phone-back-at-callout")
    # The phone home says something waits there too.
    phone.goto(live_server.url + reverse("portal:home"))
    callouts = phone.get_by_role("link", name=re.compile("应急召集"))
    assert "1" in callouts.inner_text()
    callouts.click()
    phone.wait_for_url("**/volunteering/p/callouts/")
    assert phone.evaluate("document.body.classList.contains('large')")
    assert "某电机厂（受淹）" in phone.content() and "请带万用表" in phone.content()
    no_sideways_scroll(phone)
    shot(phone, "06-phone-callout")
    phone.get_by_role("button", name="可以去").dblclick()
    # Two POSTs leave: the page shows whichever answer came back last (recorded, or already
    # answered); either way one answer is kept (checked below).
    phone.wait_for_selector("text=/已收到您的答复|您已答复过/")
    # A second tap from a page the browser kept (Back) is answered politely and changes nothing.
    phone.go_back()
    if phone.get_by_role("button", name="可以去").count():
        phone.get_by_role("button", name="可以去").click()
        phone.wait_for_selector("text=您已答复过")
    phone.goto(live_server.url + reverse("volunteering:my_callouts"))
    shot(phone, "07-phone-answered")
    row.refresh_from_db()
    assert row.answer == Answer.YES
    assert AuditEntry.objects.filter(action="volunteering.callout.answered").count() == 1

    # Staff dispatch the craftsman from the live board.
    staff.goto(live_server.url + reverse("volunteering:incident_detail", args=[incident.pk]))
    staff.get_by_role("link", name="调度看板").click()
    staff.wait_for_url(f"**/volunteering/ops/{incident.pk}/board/")
    staff.get_by_label("人员（已答复可以去）").select_option(label="万亚勇")
    staff.get_by_role("button", name="派出").click()
    staff.wait_for_selector("text=已派出 万亚勇")
    shot(staff, "08-board-dispatched")
    dispatch = Dispatch.objects.get(person=cast.person_a)

    # On the phone: my tasks, check in at the place, check out with the results.
    phone.goto(live_server.url + reverse("portal:home"))
    phone.get_by_role("link", name=re.compile("我的任务")).click()
    phone.wait_for_url("**/volunteering/p/tasks/")
    assert phone.get_by_role("link", name="13900002222").is_visible()  # whom to call on site
    no_sideways_scroll(phone)
    shot(phone, "09-phone-task")
    phone.get_by_role("button", name="到达现场，签到").click()
    phone.wait_for_selector("text=已签到")
    shot(phone, "10-phone-on-site")
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.ON_SITE

    staff.set_viewport_size({"width": 390, "height": 844})
    staff.goto(live_server.url + reverse("volunteering:operations_board", args=[incident.pk]))
    live = staff.locator("#board-live")
    assert re.search(r"已召集\s*1", live.inner_text())
    assert re.search(r"已答复（可以去）\s*1（1）", live.inner_text())
    assert re.search(r"已派出\s*1", live.inner_text())
    assert re.search(r"在现场\s*1", live.inner_text())
    shot(staff, "11-board-phone-on-site")

    phone.get_by_label("解决问题（个）").fill("3")
    phone.get_by_label("修复设备（台）").fill("10")
    phone.get_by_label("服务职工（人）").fill("120")
    phone.get_by_label("情况说明").fill("抢修电机 10 台，恢复生产")
    shot(phone, "12-phone-check-out-form")
    phone.get_by_role("button", name="完成任务，签退").click()
    phone.wait_for_selector("text=已签退")
    no_sideways_scroll(phone)
    shot(phone, "13-phone-done")
    context.close()
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.machines_repaired, dispatch.people_served) == (DispatchStatus.DONE, 10, 120)

    staff.goto(live_server.url + reverse("volunteering:operations_board", args=[incident.pk]))
    live = staff.locator("#board-live").inner_text()
    assert re.search(r"在现场\s*0", live) and re.search(r"已完成\s*1", live)
    shot(staff, "14-board-done")


def test_requester_reports_a_need_on_the_phone_and_staff_accept_it(
    browser: Any, live_server: Any, transactional_db: None, settings: Any
) -> None:
    settings.SMS_BACKEND = "core.notify.MemorySmsBackend"
    notify.MemorySmsBackend.outbox = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    cast = build_cast()
    make_user("13912340000", Role.REQUESTER)
    incident = services.open_incident(
        actor=None, title="台风烟花", kind="typhoon", started=timezone.now(), areas=[cast.region_a]
    )
    context = phone_context(browser, live_server)
    phone = context.new_page()
    phone.goto(live_server.url + reverse("volunteering:my_needs"))
    phone.wait_for_url("**/p/needs/login/")
    phone.get_by_label("手机号").fill("13912340000")
    phone.get_by_role("button", name="获取验证码").click()
    phone.wait_for_url("**/p/needs/login/code/")
    shot(phone, "20-requester-code")
    phone.get_by_label("短信验证码").fill(notify.MemorySmsBackend.outbox[-1][1].split("验证码是")[1][:6])
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url("**/p/needs/")
    phone.get_by_role("link", name="上报新需求").click()
    phone.get_by_label("所在区县或镇街").select_option(label=str(cast.region_a))
    phone.get_by_label("地点或单位名称").fill("东吴镇某村")
    phone.get_by_label("现场联系人").fill("王村长")
    assert phone.get_by_label("联系电话").input_value() == "13912340000"  # the verified number
    shot(phone, "21-requester-form")
    phone.get_by_label("需要的物资（如水泵、发电机）").fill("水泵")
    phone.get_by_label("物资数量").fill("3")
    phone.get_by_label("紧急程度").select_option(label="紧急")
    phone.get_by_role("button", name="提交需求").click()
    phone.wait_for_selector("text=需求已提交")
    no_sideways_scroll(phone)
    shot(phone, "22-requester-submitted")
    context.close()
    need = Need.objects.get(incident=incident)
    assert need.status == "pending" and need.requested_by is not None

    with staff_page(browser, live_server, cast.district_a) as staff:
        staff.goto(live_server.url + reverse("volunteering:incident_detail", args=[incident.pk]))
        assert "求助方提交" in staff.content()
        staff.get_by_role("link", name="核实受理").click()
        staff.get_by_label("物资数量").fill("4")
        shot(staff, "23-staff-accept")
        staff.get_by_role("button", name="受理").click()
        staff.wait_for_selector("text=已受理")
    need.refresh_from_db()
    assert (need.status, need.equipment_count) == ("open", 4)
