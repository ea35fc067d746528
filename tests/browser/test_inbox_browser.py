"""A model worker on a phone (390 px, as inside WeChat) with an unread message: the home page shows
我的消息 with the count, the list marks the message 未读, tapping it opens what it is about and it
is read from then on. Staff see the same message count on the bell of every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import notify, selectors
from core.models import Notification
from tests.cast import PASSWORD, build_cast, staff_sign_in

pytestmark = [pytest.mark.browser]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def test_worker_opens_an_unread_message_on_a_phone(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:
    cast = build_cast()
    note = notify.send(
        channel="inapp",
        recipient=cast.worker_a,
        subject="帮扶邀请",
        body="宁波某机械厂需要数控机床维修方面的帮助，请在“帮扶邀请”中答复。",
        link=reverse("assistance:my_invitations"),
    )
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    try:
        # (An anonymous /p/ leads to the phone sign-in; worker_a has a password, so the login page.)
        page.goto(live_server.url + reverse("core:login") + "?next=" + reverse("portal:home"))
        page.fill("#id_username", "worker_a")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/p/")
        link = page.get_by_role("link", name="我的消息")
        assert link.locator(".portal-badge").text_content() == "1 条未读"
        page.screenshot(path=str(screenshots_dir / "inbox-portal-home-phone.png"), full_page=True)

        link.tap()
        page.wait_for_url("**/p/messages/")
        assert page.title() == "我的消息 - 劳模工匠服务"
        card = page.locator("form.portal-msg").first
        assert card.get_attribute("class") == "portal-msg is-unread"
        button = card.get_by_role("button")
        assert button.inner_text().splitlines()[0] == "未读 帮扶邀请"
        box = button.bounding_box()
        assert box is not None and box["height"] >= 60 and box["width"] > 340
        page.screenshot(path=str(screenshots_dir / "inbox-portal-list-phone.png"), full_page=True)

        button.tap()
        page.wait_for_url("**" + reverse("assistance:my_invitations"))
        assert Notification.objects.get(pk=note.pk).status == "read"
        assert selectors.unread_count(cast.worker_a) == 0

        page.goto(live_server.url + reverse("portal:messages"))
        assert page.locator("form.portal-msg").first.get_attribute("class") == "portal-msg is-read"
        assert page.locator("form.portal-msg .tag").first.inner_text() == "已读"
        assert page.get_by_role("button", name="全部标为已读").count() == 0
        page.screenshot(path=str(screenshots_dir / "inbox-portal-read-phone.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_staff_bell_and_inbox(
    size: str, browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:

    cast = build_cast()
    device = TOTPDevice.objects.create(user=cast.district_a, name="手机", confirmed=True)
    for i in range(3):
        notify.send(
            channel="inapp",
            recipient=cast.district_a,
            subject="帮扶提醒",
            body=f"帮扶需求 YZ-2026-00{i + 1} 邀请48小时无人答复，请改派。",
            link="/assistance/requests/",
        )
    sizes = {"desktop": {"viewport": {"width": 1366, "height": 900}}, "phone": PHONE}
    context = browser.new_context(locale="zh-CN", **sizes[size])
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        staff_sign_in(page, "district_a", device, lands_on=live_server.url + "/")
        bell = page.locator("#inbox-bell")
        assert bell.get_attribute("aria-label") == "消息中心（3 条未读）"
        assert bell.locator(".bell-count").inner_text() == "3"
        bell.click()
        page.wait_for_url("**/messages/")
        assert page.locator("#inbox-table tbody tr.is-unread").count() == 3
        assert "共 3 条" in page.locator(".pagination").inner_text()
        page.screenshot(path=str(screenshots_dir / f"inbox-staff-{size}.png"), full_page=True)

        page.get_by_role("button", name="全部标为已读").click()
        assert page.locator("#confirm-text").inner_text() == "是否确认将全部消息标为已读？"
        page.locator("[data-confirm-ok]").click()
        page.wait_for_selector("text=已将 3 条消息标为已读")
        assert page.locator("#inbox-table tbody tr.is-read").count() == 3
        assert page.locator("#inbox-bell .bell-count").count() == 0
        assert selectors.unread_count(cast.district_a) == 0
    finally:
        context.close()
