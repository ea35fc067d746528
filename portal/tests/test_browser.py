"""The people on phones, in a real browser (390 px wide, 长辈版 on): a model worker signs in with
their mobile and a text-message code and sees their own history; a craftsman accepts an
invitation and sees whom to call; a requester's form with several mistakes keeps what was typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from assistance import services as assistance_services
from assistance.models import InvitationStatus
from assistance.tests import factories as assistance_factories
from core import notify
from payments.tests import helpers as payment_helpers
from tests.cast import build_cast, phone_context

pytestmark = [pytest.mark.browser]

# Every piece of visible text smaller than this (CSS px), as "tag.class: text".
SMALL_TEXT_JS = """(minimum) => {
  const small = [];
  for (const el of document.body.querySelectorAll("*")) {
    const own = Array.from(el.childNodes)
      .filter(n => n.nodeType === 3 && n.textContent.trim())
      .map(n => n.textContent.trim())
      .join(" ");
    const isField = ["INPUT", "SELECT", "TEXTAREA", "BUTTON"].includes(el.tagName);
    if (!own && !isField) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue;  // .sr-only and hidden things
    const size = parseFloat(getComputedStyle(el).fontSize);
    const what = (own || el.name || "").slice(0, 30);
    if (size < minimum) small.push(`${el.tagName.toLowerCase()}.${el.className}: ${what} (${size}px)`);
  }
  return small;
}"""


@pytest.fixture
def sms(settings: Any) -> list[tuple[str, str]]:
    settings.SMS_BACKEND = "core.notify.MemorySmsBackend"
    notify.MemorySmsBackend.outbox = []
    return notify.MemorySmsBackend.outbox


def _phone(browser: Any, live_server: Any) -> Any:
    context = phone_context(browser, live_server)
    return context


def _code(sms: list[tuple[str, str]]) -> str:
    return sms[-1][1].split("验证码是")[1][:6]


def test_model_worker_signs_in_with_mobile_and_code_and_sees_their_history(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path, sms: list
) -> None:
    cast = build_cast()
    payment_helpers.approved(cast)  # 宁波市劳动模范 (2019) and a Spring Festival line
    assistance_factories.with_visit(cast)  # person_a served a request
    context = _phone(browser, live_server)
    page = context.new_page()
    page.goto(live_server.url + reverse("core:login"))
    page.screenshot(path=str(screenshots_dir / "portal-staff-login-page-phone.png"), full_page=True)
    page.get_by_role("link", name="劳模工匠手机登录").click()
    page.wait_for_url("**/p/login/")
    assert page.evaluate("document.body.classList.contains('large')")
    page.get_by_label("手机号").fill(cast.person_a.mobile)
    page.screenshot(path=str(screenshots_dir / "portal-login-mobile-large.png"), full_page=True)
    page.get_by_role("button", name="获取短信验证码").click()
    page.wait_for_url("**/p/login/code/")
    assert page.get_by_text("138****0001").count() == 1
    page.get_by_label("短信验证码").fill(_code(sms))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/p/")
    for heading in ["我的荣誉", "我的普查", "我参加的技术帮扶", "我的消息"]:
        assert page.get_by_role("heading", name=heading).is_visible(), heading
    assert page.get_by_role("heading", name="我的慰问金").count() == 1
    assert page.get_by_text("2019年 宁波市劳动模范").is_visible()
    assert page.get_by_text("上门1次，共3小时").is_visible()
    assert page.evaluate(SMALL_TEXT_JS, 22) == []
    button = page.get_by_role("link", name="帮扶邀请", exact=True).bounding_box()
    assert button is not None and button["height"] >= 60
    page.screenshot(path=str(screenshots_dir / "portal-home-history-large.png"), full_page=True)
    context.close()


def test_craftsman_accepts_an_invitation_and_sees_whom_to_call(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path, sms: list
) -> None:
    cast = build_cast()
    invitation = assistance_factories.invited(cast)
    path = urlsplit(assistance_services.invitation_link(invitation)).path
    context = _phone(browser, live_server)
    page = context.new_page()
    page.goto(live_server.url + path)
    assert page.get_by_text("13805749999").count() == 0
    page.get_by_role("button", name="我愿意去").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="下一步：请联系需求单位，约定上门时间").is_visible()
    call = page.get_by_role("link", name="拨打电话给张经理")
    assert call.get_attribute("href") == "tel:13805749999"
    box = call.bounding_box()
    assert box is not None and box["height"] >= 60
    assert page.get_by_text("测试路1号").is_visible()
    assert page.evaluate(SMALL_TEXT_JS, 22) == []
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    page.screenshot(path=str(screenshots_dir / "portal-invitation-accepted-large.png"), full_page=True)
    # Back to standard type: still nothing under 18 px.
    page.get_by_role("button", name="标准字").click()
    assert not page.evaluate("document.body.classList.contains('large')")
    assert page.evaluate(SMALL_TEXT_JS, 18) == []
    context.close()


def test_requester_form_with_several_errors_keeps_what_was_typed(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path, sms: list
) -> None:
    cast = build_cast()
    context = _phone(browser, live_server)
    page = context.new_page()
    page.goto(live_server.url + reverse("assistance:apply"))
    page.get_by_label("手机号").fill("13905748888")
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_url("**/apply/verify/")
    page.get_by_label("短信验证码").fill(_code(sms))
    page.get_by_role("button", name="下一步").click()
    page.wait_for_url("**/apply/form/")
    page.get_by_label("单位名称").fill("宁波市林工艺品有限公司")
    page.get_by_label("统一社会信用代码").fill("91330212MA2H4B6X30")  # wrong check character
    page.get_by_label("所在区县(市)").select_option(label=cast.region_a.name)
    page.get_by_label("详细地址").fill("首南街道1号")
    page.get_by_label("联系人").fill("林总")
    page.get_by_label("需求类别").select_option(label="自动化改造")
    page.get_by_label("需求描述").fill("包装线需要8个人，希望自动化改造")
    page.get_by_label("设置登录密码").fill("Ab1!")
    page.get_by_label("再次输入密码").fill("Ab1!")
    page.get_by_role("button", name="确认信息无误，提交").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    links = summary.get_by_role("link")
    assert links.count() == 3
    assert [links.nth(i).get_attribute("href") for i in range(3)] == ["#id_credit_code", "#id_title", "#id_password"]
    for label, value in [
        ("单位名称", "宁波市林工艺品有限公司"),
        ("详细地址", "首南街道1号"),
        ("需求描述", "包装线需要8个人，希望自动化改造"),
        ("设置登录密码", "Ab1!"),
        ("再次输入密码", "Ab1!"),
    ]:
        assert page.get_by_label(label).input_value() == value, label
    assert page.get_by_text("密码太短，至少需要10位").count() == 2  # in the summary and by the field
    assert page.evaluate(SMALL_TEXT_JS, 22) == []
    page.screenshot(path=str(screenshots_dir / "portal-request-form-errors-large.png"), full_page=True)
    links.nth(1).click()
    assert page.evaluate("location.hash") == "#id_title"
    context.close()
