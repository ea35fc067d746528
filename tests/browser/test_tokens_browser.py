"""A member of staff issues their own API token in a real browser: 我的接口令牌 in the top bar, the
name and the code from the authenticator again, the token shown once; then revokes it (with the
confirmation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.crypto import keyed_hash
from core.models import ApiToken
from tests.cast import build_cast, staff_sign_in

pytestmark = [pytest.mark.browser]


def _next_code(device: Any) -> str:
    """The code the authenticator shows in the next 30 seconds (the sign-in used the current one,
    and a code is accepted once; django-otp allows one step of drift)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = timezone.now().timestamp() + device.step
    return f"{totp.token():0{device.digits}d}"


def test_staff_issue_and_revoke_their_own_token(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:

    cast = build_cast()
    device = TOTPDevice.objects.create(user=cast.city, name="手机", confirmed=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        staff_sign_in(page, "city", device, lands_on=live_server.url + "/")
        page.get_by_role("link", name="我的接口令牌").click()
        page.wait_for_url("**/system/my/tokens/")
        page.fill("#id_name", "人社局数据对接")
        page.fill("#id_otp_token", "000000" if _next_code(device) != "000000" else "111111")
        page.get_by_role("button", name="签发令牌").click()
        assert page.locator(".errorlist").inner_text() == "动态口令不正确或已过期，请输入认证器上最新的6位数字"
        assert page.input_value("#id_name") == "人社局数据对接"
        page.screenshot(path=str(screenshots_dir / "tokens-wrong-code-desktop.png"), full_page=True)
        # django-otp waits a second after a wrong code (twice as long after each further one); on a
        # loaded machine the next code can fall outside the step it was computed for, so the
        # authenticator's newest code is typed again, as a person would.
        for attempt in range(3):
            page.wait_for_timeout(1500 * 2**attempt)
            page.fill("#id_otp_token", _next_code(device))
            page.get_by_role("button", name="签发令牌").click()
            page.wait_for_selector("#api-token, .errorlist")
            if page.locator("#api-token").count():
                break
        raw = page.locator("#api-token").inner_text()
        page.screenshot(path=str(screenshots_dir / "tokens-issued-desktop.png"), full_page=True)
        token = ApiToken.objects.get(user=cast.city)
        assert (token.key_hash, token.name, token.revoked) == (keyed_hash(raw), "人社局数据对接", False)
        page.get_by_role("link", name="我已保存，返回").click()
        page.wait_for_url("**/system/my/tokens/")
        page.screenshot(path=str(screenshots_dir / "tokens-list-desktop.png"), full_page=True)
        page.get_by_role("button", name="作废").click()
        assert page.locator("#confirm-text").inner_text() == "是否确认作废令牌“人社局数据对接”？"
        page.locator("[data-confirm-ok]").click()
        page.wait_for_selector("text=操作成功：令牌已作废")
        token.refresh_from_db()
        assert token.revoked is True
    finally:
        context.close()
