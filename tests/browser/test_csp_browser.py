"""The Content-Security-Policy holds in a real browser: the staff pages with scripts (charts, the
registry toolbar, the person page's dialogs and reveal buttons) run with no violation, and
/api/docs renders Swagger UI from this site's own files with every other host unreachable (an
intranet)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.cast import build_cast, staff_sign_in

pytestmark = [pytest.mark.browser]


class Watch:
    """Console errors, CSP violations and requests to any other host, on one page."""

    def __init__(self, page: Any, live_url: str) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        own = urlsplit(live_url).netloc
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

        def route(r: Any) -> None:
            if urlsplit(r.request.url).netloc in (own, "") or r.request.url.startswith("data:"):
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)


def test_api_docs_render_without_network_under_the_policy(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:
    cast = build_cast()

    device = TOTPDevice.objects.create(user=cast.city, name="手机", confirmed=True)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    watch = Watch(page, live_server.url)
    try:
        page.goto(live_server.url + reverse("core:login"))
        staff_sign_in(page, "city", device, lands_on="**/")
        response = page.goto(live_server.url + "/api/docs")
        assert response is not None
        assert response.headers["content-security-policy"] == settings.CONTENT_SECURITY_POLICY
        page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
        assert page.locator(".swagger-ui .info .title").inner_text().startswith("Laomo 劳模工匠服务管理平台 API")
        page.wait_for_selector(".opblock-tag", timeout=15000)
        assert page.locator(".opblock-tag").count() >= 4
        page.screenshot(path=str(screenshots_dir / "api-docs-offline.png"))
        assert watch.outside == []
        assert watch.errors == []
    finally:
        context.close()


def test_staff_pages_run_their_scripts_without_violations(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:
    cast = build_cast()

    device = TOTPDevice.objects.create(user=cast.city, name="手机", confirmed=True)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    watch = Watch(page, live_server.url)
    try:
        page.goto(live_server.url + reverse("core:login"))
        staff_sign_in(page, "city", device, lands_on="**/")
        page.wait_for_selector(".home-chart canvas, .stats", timeout=15000)
        policies = []
        for name, kwargs in (("people:list", {}), ("people:detail", {"pk": cast.person_a.pk})):
            response = page.goto(live_server.url + reverse(name, kwargs=kwargs))
            assert response is not None
            policies.append(response.headers.get("content-security-policy"))
            if name == "people:list":
                page.locator("input[name=ids]").first.check()
        assert policies == [settings.CONTENT_SECURITY_POLICY] * 2
        reveal = page.get_by_role("button", name="查看完整身份证号")
        reveal.click()
        page.wait_for_selector("#id-number.revealed")
        # The button goes once answered (data-remove-after-request in app.js, not hx-on's eval).
        assert reveal.count() == 0
        page.goto(live_server.url + reverse("payments:dashboard"))
        page.goto(live_server.url + reverse("assistance:figures"))
        page.wait_for_selector("#chart-district canvas", timeout=15000)
        page.screenshot(path=str(screenshots_dir / "csp-assistance-figures.png"))
        assert watch.outside == []
        assert watch.errors == []
        # The policy is in force: an injected inline script does not run, and the browser says why.
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
            " document.body.appendChild(s); }"
        )
        assert page.evaluate("() => window.injected") is None
        assert len(watch.errors) == 1 and "Content Security Policy" in watch.errors[0]
    finally:
        context.close()
