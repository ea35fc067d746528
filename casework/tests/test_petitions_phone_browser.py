"""In a real browser on a 390 px phone (长辈版 on): a petitioner signs in with the text-message
code, sees their case's stage and deadline, adds a note with a photo; the clerk sees it on the case."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image

from casework.models import PetitionCase
from casework.petitions import services
from core import notify
from tests.cast import build_cast, phone_context, staff_page

pytestmark = pytest.mark.browser

SMALL_TEXT_JS = """(minimum) => {
  const small = [];
  for (const el of document.body.querySelectorAll("*")) {
    const own = Array.from(el.childNodes).filter(n => n.nodeType === 3 && n.textContent.trim())
      .map(n => n.textContent.trim()).join(" ");
    const isField = ["INPUT", "SELECT", "TEXTAREA", "BUTTON"].includes(el.tagName);
    if (!own && !isField) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue;
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


def _photo(path: Path) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 60, 60)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.django_db(transaction=True)
def test_petitioner_follows_a_case_and_adds_a_photo(browser: Any, live_server: Any, sms: list, tmp_path: Path) -> None:
    cast = build_cast()
    case = services.register_case(
        actor=cast.district_a,
        channel="call",
        name="赵大海",
        mobile="13700001111",
        matter="宁波华远机械公司拖欠我三个月工资，至今没有发放。",
        district=cast.region_a,
        received_on=timezone.localdate() - dt.timedelta(days=5),
        handler=cast.district_a,
    )
    services.accept_case(actor=cast.district_a, case=case)
    case.refresh_from_db()
    shots = Path(settings.BASE_DIR) / "var"
    context = phone_context(browser, live_server)
    page = context.new_page()
    page.goto(live_server.url + "/casework/petitions/phone/")
    page.get_by_label("手机号").fill("13700001111")
    page.screenshot(path=str(shots / "petphone-1-mobile.png"), full_page=True)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_url("**/phone/verify/")
    assert page.get_by_text("137****1111").count() == 1
    page.get_by_label("短信验证码").fill(sms[-1][1].split("验证码是")[1][:6])
    page.get_by_role("button", name="查看我的信访件").click()
    page.wait_for_url("**/phone/cases/")
    assert page.get_by_text(case.number).is_visible()
    assert page.get_by_text("办理中").first.is_visible()
    due = f"{case.due.year}年{case.due.month}月{case.due.day}日"
    assert page.get_by_text(f"办理期限：{due}").first.is_visible()
    assert page.evaluate(SMALL_TEXT_JS, 22) == []
    page.screenshot(path=str(shots / "petphone-2-cases.png"), full_page=True)
    page.get_by_text("查看进度 / 补充材料").click()
    page.wait_for_url(f"**/phone/cases/{case.pk}/")
    assert page.locator('[aria-current="step"]').inner_text().startswith("✓ 正在办理")
    page.get_by_label("补充说明").fill("补充：这是工资条照片，三个月都没有发。")
    page.get_by_label("照片或PDF文件（可不选）").set_input_files(str(_photo(tmp_path / "工资条.jpg")))
    page.screenshot(path=str(shots / "petphone-3-add.png"), full_page=True)
    page.get_by_role("button", name="提交材料").click()
    page.wait_for_load_state()
    assert page.get_by_text("材料已提交").is_visible()
    assert page.locator('img[alt="照片"]').evaluate("img => img.naturalWidth") == 120
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(SMALL_TEXT_JS, 22) == []
    button = page.get_by_role("button", name="提交材料").bounding_box()
    assert button is not None and button["height"] >= 60
    page.screenshot(path=str(shots / "petphone-4-added.png"), full_page=True)
    context.close()
    item = PetitionCase.objects.get(pk=case.pk).attachments.get()
    assert (item.by_petitioner, item.content_type) == (True, "image/jpeg")
    with staff_page(browser, live_server, cast.district_a) as staff:
        staff.goto(f"{live_server.url}/casework/petitions/{case.pk}/")
        assert staff.get_by_text("补充：这是工资条照片，三个月都没有发。").is_visible()
        assert staff.locator("#material img").evaluate("img => img.naturalWidth") == 120
        staff.locator("#material").screenshot(path=str(shots / "petphone-5-staff.png"))
        staff.screenshot(path=str(shots / "petphone-6-staff-page.png"), full_page=True)
