"""A model worker on a phone (375 px): opens their census link, confirms, then takes it back with
撤回 within the ten minutes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from census import services
from census.models import CensusRecord, ColumnMapping
from people.models import Person
from tests.cast import WORKER_A_ID, build_cast, staff_sign_in

from .helpers import HEADER, make_id, xlsx

pytestmark = [pytest.mark.browser]


def test_person_confirms_on_a_phone_and_withdraws(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:
    cast = build_cast()
    campaign = services.open_campaign(actor=cast.city, year=2026)
    record = campaign.records.get(person=cast.person_a)
    token = services.create_personal_link(actor=cast.district_a, record=record)
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + reverse("census:personal", kwargs={"token": token}))
    assert page.title() == "2026年度劳模工匠普查 - 劳模工匠服务"
    page.get_by_role("button", name="确认信息无误").click()
    page.wait_for_url("**?done=confirmed")
    assert page.get_by_role("heading", name="谢谢！您已确认信息无误。").is_visible()
    undo = page.get_by_role("button", name="撤回")
    box = undo.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] > 300
    page.screenshot(path=str(screenshots_dir / "census-personal-undo-phone.png"), full_page=True)
    undo.click()
    page.wait_for_url("**?done=withdrawn")
    assert page.get_by_role("heading", name="已撤回").is_visible()
    assert page.get_by_role("button", name="撤回").count() == 0
    assert CensusRecord.objects.get(pk=record.pk).state == "pending"
    context.close()


def test_clerk_imports_a_file_through_the_pages(
    browser: Any,
    live_server: Any,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    screenshots_dir: Path,
) -> None:
    """City staff upload a file with a mistake (refused, nothing written, the row and column
    named), then a good one: the preview shows who is new and what changes, 确认导入 writes it. A
    large file goes the same way through background jobs with a progress page."""
    cast = build_cast()
    device = TOTPDevice.objects.create(user=cast.city, name="手机", confirmed=True)
    new_1, new_2 = make_id("330212", "19650312", "005"), make_id("330203", "19700101", "024")
    good = [
        HEADER,
        ["王小明", new_1, "鄞州", "13805740009", "浙江工匠（2019）", "在职"],
        ["李红", new_2, "海曙", "", "", "退休"],
        ["万亚勇", WORKER_A_ID, "鄞州", "13905749999", "", "在职"],
    ]
    bad = [*good[:2], ["李红", new_2[:-1] + ("0" if new_2[-1] != "0" else "1"), "海曙", "", "", "退休"]]
    (tmp_path / "bad.xlsx").write_bytes(xlsx(bad))
    (tmp_path / "good.xlsx").write_bytes(xlsx(good))
    people_before = Person.objects.count()

    page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    page.goto(live_server.url + reverse("census:imports"))
    staff_sign_in(page, "city", device, lands_on="**/census/imports/")

    page.set_input_files("#id_file", str(tmp_path / "bad.xlsx"))
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_selector("#import-refused")
    assert "发现 1 处错误，未导入任何数据" in page.inner_text("#import-refused")
    first_error = page.locator("#import-errors tbody tr").first.inner_text()
    assert "第 3 行" in first_error and "身份证号" in first_error
    assert page.get_by_role("link", name="下载标出错误的原文件").is_visible()
    page.screenshot(path=str(screenshots_dir / "census-import-refused.png"), full_page=True)
    assert Person.objects.count() == people_before

    page.goto(live_server.url + reverse("census:imports"))
    page.set_input_files("#id_file", str(tmp_path / "good.xlsx"))
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_selector("#count-created")
    assert (page.inner_text("#count-created"), page.inner_text("#count-updated")) == ("2", "1")
    assert "13905749999" in page.inner_text("#import-diffs")
    page.screenshot(path=str(screenshots_dir / "census-import-preview.png"), full_page=True)
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_selector(".messages")
    assert "导入完成：新增 2 人，1 人已更新" in page.inner_text(".messages")
    assert Person.objects.count() == people_before + 2
    assert Person.objects.get(pk=cast.person_a.pk).mobile == "13905749999"

    # The same file again, as a large one: both steps run as jobs with a progress page.
    monkeypatch.setattr("census.views.BACKGROUND_BYTES", 0)
    page.goto(live_server.url + reverse("census:imports"))
    page.set_input_files("#id_file", str(tmp_path / "good.xlsx"))
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url("**/jobs/**")
    page.get_by_role("link", name="查看结果").click()
    page.wait_for_selector("#count-unchanged")
    assert page.inner_text("#count-unchanged") == "3"
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url("**/jobs/**")
    assert "导入完成：3 人无变化" in page.inner_text("#job-progress")
    page.screenshot(path=str(screenshots_dir / "census-import-job.png"), full_page=True)
    assert Person.objects.count() == people_before + 2


def test_person_sends_a_correction_with_a_note_and_sees_it_waiting(
    browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Path
) -> None:
    cast = build_cast()
    campaign = services.open_campaign(actor=cast.city, year=2026)
    record = campaign.records.get(person=cast.person_a)
    token = services.create_personal_link(actor=cast.district_a, record=record)
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + reverse("census:personal", kwargs={"token": token}))
    page.get_by_role("link", name="我要修改").click()
    page.get_by_label("手机号").fill("13911112222")
    page.get_by_label("想对工作人员说的话（选填）").fill("旧号码已停用")
    page.get_by_role("button", name="提交修改").click()
    page.wait_for_url("**?done=proposed")
    submitted = page.inner_text("#submitted")
    assert "您提交的修改" in submitted and "等待工作人员审核" in submitted
    assert "13805740001 → 13911112222" in submitted and "旧号码已停用" in submitted
    page.screenshot(path=str(screenshots_dir / "census-personal-submitted-phone.png"), full_page=True)
    context.close()


def test_clerk_maps_an_unknown_column_in_the_preview(
    browser: Any, live_server: Any, transactional_db: None, tmp_path: Path, screenshots_dir: Path
) -> None:
    """A column the importer does not know stops the import until the clerk says what it holds;
    ignored, the file is checked again and can be imported."""
    cast = build_cast()
    device = TOTPDevice.objects.create(user=cast.city, name="手机", confirmed=True)
    rows = [["姓名", "身份证号", "区县（市）", "荣誉称号（授予年份）", "家庭成员"]]
    rows.append(["王小明", make_id("330212", "19650312", "005"), "鄞州", "浙江工匠（2019）", "妻 女"])
    (tmp_path / "family.xlsx").write_bytes(xlsx(rows))

    page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    page.goto(live_server.url + reverse("census:imports"))
    staff_sign_in(page, "city", device, lands_on="**/census/imports/")
    page.set_input_files("#id_file", str(tmp_path / "family.xlsx"))
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_selector("#import-columns")
    assert "无法识别“家庭成员”列" in page.inner_text("#import-errors")
    page.get_by_label("家庭成员").select_option(label="忽略此列（不导入）")
    page.screenshot(path=str(screenshots_dir / "census-import-map-columns.png"), full_page=True)
    page.get_by_role("button", name="保存并重新校验").click()
    page.wait_for_selector("#count-created")
    assert page.inner_text("#count-created") == "1"
    assert "以下列已按本区县的设置忽略：家庭成员" in page.inner_text(".card")
    assert list(ColumnMapping.objects.values_list("header", "field")) == [("家庭成员", "")]
