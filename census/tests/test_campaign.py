from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from census import demo, selectors, services
from census.importer import validate_file
from census.models import Campaign, ChangeProposal, ImportBatch, PersonalLink, RecordState, Source
from census.tasks import run_import
from core.errors import DomainError
from core.models import AuditEntry, Job
from people.models import Person, PersonStatus
from people.services import create_person, mark_deceased, update_person
from tests.cast import WORKER_A_ID, WORKER_B_ID

from .helpers import HEADER, make_id, xlsx

ID1 = make_id("330212", "19650312", "005")


def test_open_campaign_gives_everyone_in_scope_a_pending_record(cast: Any) -> None:
    city_wide = services.open_campaign(actor=cast.city, year=2026)
    assert sorted(city_wide.records.values_list("person__name", "state")) == [
        ("万亚勇", "pending"),
        ("单秀英", "pending"),
    ]
    only_a = services.open_campaign(actor=cast.city, year=2027, districts=[cast.region_a])
    assert list(only_a.records.values_list("person__name", flat=True)) == ["万亚勇"]
    with pytest.raises(DomainError, match="2026 年的普查已经存在"):
        services.open_campaign(actor=cast.city, year=2026)


def test_staff_confirm_unreachable_death_and_the_closing_summary(cast: Any) -> None:
    campaign = services.open_campaign(actor=cast.city, year=2026)
    rec_a = campaign.records.get(person=cast.person_a)
    rec_b = campaign.records.get(person=cast.person_b)
    services.confirm_record(actor=cast.district_a, record=rec_a)
    with pytest.raises(DomainError, match="请填写无法联系的原因"):
        services.mark_unreachable(actor=cast.district_b, record=rec_b, reason=" ")
    services.mark_unreachable(actor=cast.district_b, record=rec_b, reason="电话停机")
    counts = selectors.campaign_figures(None, campaign)["total"]
    assert (counts["surveyed"], counts["confirmed"], counts["unreachable"], counts["total"]) == (1, 1, 1, 2)
    services.record_death(actor=cast.district_b, record=rec_b, date=dt.date(2026, 1, 5))
    cast.person_b.refresh_from_db()
    assert cast.person_b.status == "deceased"
    closed = services.close_campaign(actor=cast.city, campaign=campaign)
    assert closed.summary["text"] == "普查 2 人，确认无误 1 人，更正 0 人，去世 1 人"
    with pytest.raises(DomainError, match="已结束"):
        services.confirm_record(actor=cast.city, record=rec_a)


def test_proposals_wait_for_review_field_by_field(cast: Any) -> None:
    campaign = services.open_campaign(actor=cast.city, year=2026)
    record = campaign.records.get(person=cast.person_a)
    proposal = services.propose_changes(
        actor=cast.district_a,
        record=record,
        data={"mobile": "+86 139-0000-1111", "employer": "新单位", "name": "万亚勇"},
        source=Source.STAFF,
    )
    assert proposal is not None
    assert [(c.label, c.before, c.after) for c in proposal.changes.all()] == [
        ("工作单位", "宁波精华电子科技股份有限公司", "新单位"),
        ("手机号", "13805740001", "13900001111"),
    ]
    record.refresh_from_db()
    assert record.state == RecordState.CHANGED
    cast.person_a.refresh_from_db()
    assert cast.person_a.mobile == "13805740001"  # nothing reaches the registry before review
    employer, mobile = proposal.changes.all()
    with pytest.raises(DomainError, match="请逐项选择"):
        services.review_proposal(actor=cast.city, proposal=proposal, decisions={employer.pk: True})
    services.review_proposal(actor=cast.city, proposal=proposal, decisions={employer.pk: False, mobile.pk: True})
    cast.person_a.refresh_from_db()
    record.refresh_from_db()
    assert (cast.person_a.mobile, cast.person_a.employer) == ("13900001111", "宁波精华电子科技股份有限公司")
    assert (record.state, record.corrected) == ("reviewed", True)
    entry = AuditEntry.objects.get(action="census.proposal.reviewed")
    assert (
        entry.changes["手机号"] == {"before": "138****0001", "after": "139****1111", "accepted": True}
        or entry.changes["手机号"]["accepted"] is True
    )
    assert AuditEntry.objects.filter(action="people.person.updated", object_id=str(cast.person_a.pk)).count() == 1
    summary = services.close_campaign(actor=cast.city, campaign=campaign).summary
    assert summary["text"] == "普查 1 人，确认无误 0 人，更正 1 人，去世 0 人，未联系 1 人"


def test_campaign_import_proposes_changes_and_confirms_the_rest(cast: Any) -> None:
    campaign = services.open_campaign(actor=cast.city, year=2026)
    data = xlsx(
        [
            HEADER,
            ["万亚勇", WORKER_A_ID, "鄞州", "13805740001"],
            ["单秀英", WORKER_B_ID, "海曙", "13900000000"],
            ["新人", ID1, "鄞州"],
        ]
    )
    v = validate_file(data, "a.xlsx", actor=cast.city, campaign=campaign)
    result = services.commit_import(actor=cast.city, validation=v, campaign=campaign)
    assert result == {"created": 1, "updated": 1, "unchanged": 1, "proposals": 1}
    states = dict(campaign.records.values_list("person__name", "state"))
    assert states == {"万亚勇": "confirmed", "单秀英": "changed", "新人": "confirmed"}
    cast.person_b.refresh_from_db()
    assert cast.person_b.mobile == "13905740002"
    again = services.commit_import(
        actor=cast.city, validation=validate_file(data, "a.xlsx", actor=cast.city, campaign=campaign), campaign=campaign
    )
    assert again == {"created": 0, "updated": 1, "unchanged": 2, "proposals": 0}
    assert ChangeProposal.objects.count() == 1


def test_personal_link_confirm_and_propose_without_login(cast: Any, client: Any) -> None:
    campaign = services.open_campaign(actor=cast.city, year=2026)
    record = campaign.records.get(person=cast.person_a)
    token = services.create_personal_link(actor=cast.district_a, record=record)
    url = reverse("census:personal", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 200
    assert "万亚勇，您好" in page.content.decode()
    assert "3302**********0013" in page.content.decode()
    assert "no-cache" in page["Cache-Control"]
    response = client.post(url, {"action": "confirm"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.state, record.source) == ("confirmed", "self")
    response = client.post(
        url,
        {
            "action": "propose",
            "mobile": "13911112222",
            "landline": "",
            "address": "鄞州区某路1号",
            "employer": cast.person_a.employer,
            "post": "",
            "political_status": "",
            "education": "",
            "status": "retired",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?done=proposed")
    proposal = ChangeProposal.objects.get(record=record)
    assert [(c.label, c.after) for c in proposal.changes.all()] == [
        ("状态", "退休"),
        ("手机号", "13911112222"),
        ("地址", "鄞州区某路1号"),
    ]
    PersonalLink.objects.update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert client.get(url).status_code == 404


def test_board_counts_and_missing_export(cast: Any, client_for: Any) -> None:
    campaign = services.open_campaign(actor=cast.city, year=2026)
    services.confirm_record(actor=cast.city, record=campaign.records.get(person=cast.person_a))
    page = client_for("city").get(reverse("census:campaign", kwargs={"pk": campaign.pk}))
    rows = {r["name"]: (r["total"], r["surveyed"], r["percent"]) for r in page.context["rows"]}
    assert rows == {"鄞州区": (1, 1, 100.0), "海曙区": (1, 0, 0.0)}
    assert page.context["summary_text"] == "普查 1 人，确认无误 1 人，更正 0 人，去世 0 人，未联系 1 人"
    assert b"echarts-5.6.0.min.js" in page.content
    page_a = client_for("district_a").get(reverse("census:campaign", kwargs={"pk": campaign.pk}))
    assert [r["name"] for r in page_a.context["rows"]] == ["鄞州区"]
    export = client_for("city").get(reverse("census:missing_export", kwargs={"pk": campaign.pk}))
    ws = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=3)] == [
        ["海曙区", None, "单秀英", "3302**********002X", "13905740002", "宁波港集团", "未联系", None]
    ]
    records = client_for("district_b").get(reverse("census:records", kwargs={"pk": campaign.pk}))
    assert [r.person.name for r in records.context["page"]] == ["单秀英"]


def test_upload_preview_commit_through_pages(cast: Any, client_for: Any) -> None:
    client = client_for("district_a")
    data = xlsx([HEADER, ["万亚勇", WORKER_A_ID, "鄞州", "13805749999"], ["新人", ID1, "鄞州"]])
    upload = io.BytesIO(data)
    upload.name = "鄞州.xlsx"
    response = client.post(reverse("census:imports"), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("census:import_detail", kwargs={"pk": batch.pk})
    preview = client.get(response["Location"])
    assert preview.context["counts"] == {"created": 1, "updated": 1, "unchanged": 0}
    assert "13805749999" in preview.content.decode()
    assert Person.objects.count() == 2
    client.post(reverse("census:import_commit", kwargs={"pk": batch.pk}))
    assert Person.objects.count() == 3
    batch.refresh_from_db()
    assert batch.status == "committed"


def test_refused_upload_lists_errors_and_offers_marked_copy(cast: Any, client_for: Any) -> None:
    client = client_for("city")
    upload = io.BytesIO(xlsx([HEADER, ["张三", "330212196503120014", "鄞州"]]))
    upload.name = "bad.xlsx"
    response = client.post(reverse("census:imports"), {"file": upload}, follow=True)
    html = response.content.decode()
    assert "发现 1 处错误，未导入任何数据" in html
    assert "第 2 行" in html and "身份证号校验位不对，号码有误" in html
    batch = ImportBatch.objects.get()
    copy = client.get(reverse("census:import_error_file", kwargs={"pk": batch.pk}))
    assert copy["Content-Disposition"].endswith("%EF%BC%88%E9%94%99%E8%AF%AF%E6%A0%87%E6%B3%A8%EF%BC%89.xlsx")


def test_large_upload_runs_as_a_job(cast: Any) -> None:
    rows: list[list[Any]] = [HEADER] + [
        [f"人{c}", make_id("330212", "19700101", f"{i:03d}"), "鄞州"] for i, c in enumerate("甲乙丙丁戊", start=1)
    ]
    batch = services.store_upload(actor=cast.city, data=xlsx(rows), filename="big.xlsx")
    job = Job.objects.create(kind="census.import.validate", title="t", created_by=cast.city, params={"batch": batch.pk})
    run_import.call(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.message) == ("done", "校验通过，请确认导入")
    job2 = Job.objects.create(
        kind="census.import.commit", title="t", created_by=cast.city, params={"batch": batch.pk, "action": "commit"}
    )
    run_import.call(str(job2.pk))
    job2.refresh_from_db()
    assert job2.message == "导入完成：新增 5 人"
    assert Person.objects.count() == 7


def test_command_line_import(cast: Any, tmp_path: Any, capsys: Any) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([HEADER, ["张三", "330212196503120014", "鄞州"]]))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_people", str(bad), "--json")
    assert exit_info.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert [(e["row"], e["column"], e["problem"]) for e in report["errors"]] == [
        (2, "身份证号", "身份证号校验位不对，号码有误")
    ]
    good = tmp_path / "good.csv"
    good.write_bytes(f"姓名,身份证号,区县\n新人,{ID1},鄞州\n".encode("gb18030"))
    call_command("import_people", str(good), "--dry-run")
    assert "新增 1 人，更新 0 人，无变化 0 人" in capsys.readouterr().out
    assert Person.objects.count() == 2
    call_command("import_people", str(good))
    assert Person.objects.count() == 3


cell = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(10**19), max_value=10**19),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["鄞州", "全国劳动模范（2015）", "1965.3", "+86 138 0574 0001", "退休", "合计", ID1, "3.3E+17"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=7), max_size=6))
def test_fuzzed_workbooks_never_crash_and_never_write(cast: Any, rows: list[list[Any]]) -> None:
    clean = [[v.replace("\x00", "") if isinstance(v, str) else v for v in r] for r in rows]
    try:
        data = xlsx([HEADER, *clean])
    except Exception:  # noqa: BLE001 - openpyxl refuses some characters; not our concern
        return
    v = validate_file(data, "f.xlsx", actor=cast.district_a)
    assert v.refused or v.plans
    assert Person.objects.count() == 2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=400), name=st.sampled_from(["a.xlsx", "a.xls", "a.csv"]))
def test_fuzzed_bytes_are_refused_not_crashed(cast: Any, raw: bytes, name: str) -> None:
    v = validate_file(raw, name, actor=cast.city)
    assert v.refused or v.plans


def test_demo_builds_a_closed_and_an_open_campaign(cast: Any) -> None:

    made = [
        create_person(
            actor=None, region=cast.region_a, name=f"王{c}", id_number=make_id("330212", "19700101", f"{i:03d}")
        )
        for i, c in enumerate("甲乙丙丁戊己庚辛壬癸", start=1)
    ]
    # The registry already records what the 2025 census found: one death, one move out of the city.
    mark_deceased(actor=None, person=made[0], date=dt.date(2025, 3, 1))
    update_person(actor=None, person=made[1], status=PersonStatus.MOVED_AWAY)
    out = io.StringIO()
    demo.build(size=12, seed=2026, stdout=out)

    # Everybody in the registry was surveyed in 2025, the dead and the moved included.
    past = Campaign.objects.get(year=2025)
    assert past.summary["text"] == "普查 12 人，确认无误 10 人，更正 1 人，去世 1 人"
    assert f"census: 2025 {past.summary['text']}; 2026 open for 10 people" in out.getvalue()
    moved = past.records.get(person=made[1])
    assert (moved.state, moved.corrected) == ("reviewed", True)
    assert [(c.field, c.after, c.decision) for p in moved.proposals.all() for c in p.changes.all()] == [
        ("status", "迁出", "accepted")
    ]
    assert past.records.get(person=made[0]).state == "deceased"
    # A census opened today leaves them out.
    current = Campaign.objects.get(year=2026)
    counts = selectors.campaign_figures(None, current)["total"]
    assert (counts["total"], counts["confirmed"], counts["unreachable"], counts["changed"]) == (10, 6, 1, 1)


def test_personal_link_answer_can_be_withdrawn_for_ten_minutes(cast: Any, client: Any) -> None:
    campaign = services.open_campaign(actor=cast.city, year=2026)
    record = campaign.records.get(person=cast.person_a)
    services.mark_unreachable(actor=cast.district_a, record=record, reason="电话停机")
    token = services.create_personal_link(actor=cast.district_a, record=record)
    url = reverse("census:personal", kwargs={"token": token})
    assert "撤回" not in client.get(url).content.decode()
    # A confirmation, withdrawn: the record is back to how it was.
    client.post(url, {"action": "confirm"})
    page = client.get(url + "?done=confirmed").content.decode()
    assert "确认错了？" in page and 'value="withdraw"' in page
    response = client.post(url, {"action": "withdraw"})
    assert response["Location"].endswith("?done=withdrawn")
    record.refresh_from_db()
    assert (record.state, record.reason, record.source) == ("unreachable", "电话停机", "staff")
    page = client.get(response["Location"]).content.decode()
    assert "已撤回" in page and 'value="withdraw"' not in page
    # A proposal, withdrawn: it is gone before staff see it.
    data = {
        "action": "propose",
        "mobile": "13911112222",
        "landline": "",
        "address": "",
        "employer": cast.person_a.employer,
        "post": "",
        "political_status": "",
        "education": "",
        "status": "working",
    }
    client.post(url, data)
    assert ChangeProposal.objects.filter(record=record).count() == 1
    assert "提交错了？" in client.get(url).content.decode()
    client.post(url, {"action": "withdraw"})
    record.refresh_from_db()
    assert ChangeProposal.objects.filter(record=record).count() == 0
    assert record.state == "unreachable"
    entries = AuditEntry.objects.filter(action="census.link.withdrawn").order_by("id")
    assert [e.changes for e in entries] == [
        {"answer": "confirmed", "state": ["confirmed", "unreachable"]},
        {
            "answer": "proposed",
            "state": ["changed", "unreachable"],
            "withdrawn": {"手机号": ["138****0001", "139****2222"]},
        },
    ]
    # Nothing left to withdraw.
    response = client.post(url, {"action": "withdraw"}, follow=True)
    assert "没有可以撤回的提交" in response.content.decode()


def test_withdrawing_is_refused_after_ten_minutes_or_once_staff_decided(cast: Any, client: Any) -> None:
    campaign = services.open_campaign(actor=cast.city, year=2026)
    record = campaign.records.get(person=cast.person_a)
    token = services.create_personal_link(actor=cast.district_a, record=record)
    url = reverse("census:personal", kwargs={"token": token})
    client.post(url, {"action": "confirm"})
    PersonalLink.objects.update(answered_at=timezone.now() - dt.timedelta(minutes=10, seconds=1))
    assert 'value="withdraw"' not in client.get(url).content.decode()
    response = client.post(url, {"action": "withdraw"}, follow=True)
    assert "提交已超过10分钟，不能再撤回；如需更改，请联系工作人员" in response.content.decode()
    record.refresh_from_db()
    assert record.state == "confirmed"
    # Within the ten minutes, but staff reviewed the proposal already.
    link = PersonalLink.objects.get()
    proposal = services.answer_by_link(link=link, data={"mobile": "13911112222"})
    assert proposal is not None
    services.review_proposal(actor=cast.city, proposal=proposal, decisions={proposal.changes.get().pk: True})
    with pytest.raises(DomainError, match="工作人员已经处理了您的修改"):
        services.withdraw_answer(link=link)
    record.refresh_from_db()
    assert record.state == "reviewed"


def test_an_answer_that_changes_nothing_leaves_nothing_to_withdraw(cast: Any) -> None:
    campaign = services.open_campaign(actor=cast.city, year=2026)
    record = campaign.records.get(person=cast.person_a)
    services.confirm_record(actor=cast.district_a, record=record)
    services.create_personal_link(actor=cast.district_a, record=record)
    link = PersonalLink.objects.get()
    assert services.answer_by_link(link=link, data={"mobile": cast.person_a.mobile}) is None
    link.refresh_from_db()
    assert (link.undo, services.withdrawable_until(link)) == ({}, None)
    with pytest.raises(DomainError, match="没有可以撤回的提交"):
        services.withdraw_answer(link=link)
    record.refresh_from_db()
    assert (record.state, record.source) == ("confirmed", "staff")
