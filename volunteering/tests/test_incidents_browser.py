"""In a real browser: staff send a call-out from the proposal; a craftsman on a 390 px phone
answers 可以去 in one tap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.reference.loader import load_all_reference
from people.models import Trade
from people.services import set_skill
from tests.cast import build_cast, staff_page
from volunteering.incidents import services
from volunteering.models import Answer, CallOutAnswer, Specialty

pytestmark = [pytest.mark.browser]


def test_staff_send_callout_craftsman_answers_on_phone(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:
    cast = build_cast()
    load_all_reference()
    set_skill(actor=None, person=cast.person_a, trade=Trade.objects.get(code="01"), grade="2", specialties="")
    incident = services.open_incident(
        actor=None, title="台风烟花", kind="typhoon", started=timezone.now(), areas=[cast.region_a]
    )
    need = services.create_need(
        actor=None,
        incident=incident,
        region=cast.region_a,
        place="某电机厂",
        specialty=Specialty.objects.get(code="electric"),
        people_needed=5,
    )
    with staff_page(browser, live_server, cast.city) as page:
        page.goto(live_server.url + reverse("volunteering:need_propose", args=[need.pk]))
        assert "万亚勇" in page.content()
        page.click("text=发送召集")
        page.click("#confirm-dialog [data-confirm-ok]")
        page.wait_for_url(f"**/volunteering/incidents/{incident.pk}/")
        page.screenshot(path=str(screenshots_dir / "volcore-callout-sent.png"))
    row = CallOutAnswer.objects.get(callout__need=need, person=cast.person_a)

    client = Client()
    client.force_login(cast.worker_a)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    phone = context.new_page()
    phone.goto(live_server.url + reverse("volunteering:my_callouts"))
    phone.click("button:has-text('可以去')")
    phone.wait_for_selector("text=已收到您的答复")
    phone.screenshot(path=str(screenshots_dir / "volcore-phone-answer.png"))
    context.close()
    row.refresh_from_db()
    assert row.answer == Answer.YES
