from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from core import crypto
from core.errors import DomainError
from core.models import AuditEntry
from payments import services
from payments.models import (
    Correction,
    CorrectionKind,
    CorrectionStatus,
    Payout,
    PayoutChange,
    PayoutResult,
    PayoutRound,
    RoundStatus,
)
from payments.selectors import round_totals
from payments.tests import helpers
from people.services import create_person


def test_draft_says_who_how_much_and_why(cast: Any) -> None:
    round_ = helpers.draft(cast)
    rows = list(
        Payout.objects.filter(round=round_)
        .order_by("person__name_pinyin")
        .values_list("person__name", "district__name", "level", "honour_name", "amount", "reason", "first_time")
    )
    assert rows == [
        (
            "单秀英",
            "海曙区",
            "provincial",
            "浙江省劳动模范",
            Decimal("1500.00"),
            "浙江省劳动模范（2015）→ 省部级 1,500.00；规则 v1",
            True,
        ),
        (
            "万亚勇",
            "鄞州区",
            "city",
            "宁波市劳动模范",
            Decimal("1000.00"),
            "宁波市劳动模范（2019）→ 市级 1,000.00；规则 v1",
            True,
        ),
    ]
    assert round_.status == RoundStatus.DRAFT
    entry = AuditEntry.objects.get(action="payments.round.drafted")
    assert entry.changes == {"rule_version": "2026年春节慰问金发放规则 v1", "people": 2, "total": "2500.00"}


def test_district_review_excludes_restores_and_notes_and_the_city_sees_it(cast: Any) -> None:
    round_ = helpers.draft(cast)
    line = helpers.line_of(round_, cast.person_a)
    services.exclude_payout(actor=cast.district_a, payout=line, reason="unreachable", note="电话停机")
    assert round_totals(round_).approved_total == Decimal("1500.00")
    services.restore_payout(actor=cast.district_a, payout=line)
    services.note_payout(actor=cast.district_a, payout=line, note="本人要求上门送达")
    changes = list(PayoutChange.objects.filter(round=round_).order_by("id").values_list("action", "detail"))
    assert changes == [
        ("excluded", "联系不上：电话停机"),
        ("restored", "恢复（原剔除原因：联系不上）"),
        ("noted", "本人要求上门送达"),
    ]
    with pytest.raises(DomainError, match="其他"):
        services.exclude_payout(actor=cast.district_a, payout=line, reason="other")
    assert round_totals(round_).approved_total == Decimal("2500.00")


def test_approval_needs_a_second_person_and_freezes_the_list(cast: Any) -> None:
    creator = helpers.second_city_user()
    round_ = helpers.draft(cast, creator=creator)
    with pytest.raises(DomainError, match="双人复核"):
        services.approve_round(actor=creator, round_=round_)
    round_ = services.approve_round(actor=cast.city, round_=round_)
    assert (round_.status, round_.approved_by) == (RoundStatus.APPROVED, cast.city)
    line = helpers.line_of(round_, cast.person_a)
    assert crypto.decrypt(line.bank_account_encrypted) == helpers.ACCOUNT_A
    assert line.bank_account_masked == "6222 **** **** 0123"
    with pytest.raises(DomainError, match="冻结"):
        services.exclude_payout(actor=cast.city, payout=line, reason="refused")
    with pytest.raises(DomainError, match="不能重复批准"):
        services.approve_round(actor=cast.city, round_=round_)
    # Approved before the districts reported: which had not is on the record.
    assert AuditEntry.objects.get(action="payments.round.approved").changes == {
        "people": 2,
        "total": "2500.00",
        "unreported_districts": ["海曙区", "鄞州区"],
    }


def test_corrections_after_approval_are_approved_by_someone_else_and_logged(cast: Any) -> None:
    round_ = helpers.approved(cast)
    requester = helpers.second_city_user()
    line = helpers.line_of(round_, cast.person_b)
    correction = services.request_correction(
        actor=requester,
        round_=round_,
        kind=CorrectionKind.AMOUNT,
        payout=line,
        new_amount=Decimal("1800"),
        reason="困难补差",
    )
    with pytest.raises(DomainError, match="待审批"):
        services.request_correction(
            actor=requester, round_=round_, kind=CorrectionKind.EXCLUDE, payout=line, reason="重复"
        )
    with pytest.raises(DomainError, match="双人复核"):
        services.decide_correction(actor=requester, correction=correction, approve=True)
    services.decide_correction(actor=cast.city, correction=correction, approve=True, note="同意")
    line.refresh_from_db()
    assert line.amount == Decimal("1800.00")
    assert round_totals(round_).approved_total == Decimal("2800.00")
    assert list(PayoutChange.objects.filter(round=round_).values_list("action", "detail")) == [
        ("corrected", "金额 1,500.00 → 1,800.00；原因：困难补差")
    ]
    assert AuditEntry.objects.filter(action="payments.correction.approved").count() == 1
    exclude = services.request_correction(
        actor=requester,
        round_=round_,
        kind=CorrectionKind.EXCLUDE,
        payout=helpers.line_of(round_, cast.person_a),
        reason="已在单位领取",
    )
    services.decide_correction(actor=cast.city, correction=exclude, approve=False, note="不同意")
    assert Correction.objects.get(pk=exclude.pk).status == CorrectionStatus.REJECTED
    assert helpers.line_of(round_, cast.person_a).excluded is False


def test_a_missed_person_is_added_by_correction(cast: Any) -> None:

    missed = create_person(
        actor=None,
        region=cast.region_a,
        name="应补录",
        gender="F",
        bank_account="6222020000111122223",
        bank_name="宁波银行",
    )
    round_ = helpers.approved(cast)
    correction = services.request_correction(
        actor=cast.district_a,
        round_=round_,
        kind=CorrectionKind.ADD,
        person=missed,
        new_amount=Decimal("1000"),
        reason="普查遗漏",
    )
    services.decide_correction(actor=cast.city, correction=correction, approve=True)
    line = helpers.line_of(round_, missed)
    assert (line.amount, line.first_time, line.bank_account_masked) == (Decimal("1000.00"), True, "6222 **** **** 2223")
    with pytest.raises(DomainError, match="已在本批次"):
        services.request_correction(
            actor=cast.district_a,
            round_=round_,
            kind=CorrectionKind.ADD,
            person=missed,
            new_amount=Decimal("1"),
            reason="x",
        )


def test_results_reconcile_to_the_fen_and_failures_are_reissued(cast: Any) -> None:
    round_ = helpers.approved(cast)
    with pytest.raises(DomainError, match="原因"):
        services.mark_result(actor=cast.city, payout=helpers.line_of(round_, cast.person_b), result="returned")
    services.mark_result(actor=cast.district_a, payout=helpers.line_of(round_, cast.person_a), result=PayoutResult.PAID)
    with pytest.raises(DomainError, match="1 人未登记"):
        services.close_round(actor=cast.city, round_=round_)
    services.mark_result(
        actor=cast.district_b, payout=helpers.line_of(round_, cast.person_b), result="returned", reason="账户冻结"
    )
    t = round_totals(round_)
    assert (t.approved_total, t.paid_total, t.failed_total, t.returned_total, t.pending_total) == (
        Decimal("2500.00"),
        Decimal("1000.00"),
        Decimal("0.00"),
        Decimal("1500.00"),
        Decimal("0.00"),
    )
    assert t.balanced
    follow = services.create_follow_up_round(actor=cast.city, round_=round_)
    lines = list(Payout.objects.filter(round=follow))
    assert [(p.person_id, p.amount, p.reissue_of_id) for p in lines] == [
        (cast.person_b.pk, Decimal("1500.00"), helpers.line_of(round_, cast.person_b).pk)
    ]
    assert lines[0].reason == (
        f"补发 {helpers.line_of(round_, cast.person_b).reference}（退回：账户冻结）；"
        "浙江省劳动模范（2015）→ 省部级 1,500.00；规则 v1"
    )
    assert (follow.status, follow.follow_up_of_id, follow.rule_version_id) == (
        "draft",
        round_.pk,
        round_.rule_version_id,
    )
    with pytest.raises(DomainError, match="没有需要补发"):
        services.create_follow_up_round(actor=cast.city, round_=round_)
    services.close_round(actor=cast.city, round_=round_)
    assert PayoutRound.objects.get(pk=round_.pk).status == RoundStatus.CLOSED
    with pytest.raises(DomainError):
        services.mark_result(
            actor=cast.city, payout=helpers.line_of(round_, cast.person_a), result="failed", reason="x"
        )


def _xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_bank_return_file_is_imported_with_every_refused_row_explained(cast: Any) -> None:
    round_ = helpers.approved(cast)
    a, b = helpers.line_of(round_, cast.person_a), helpers.line_of(round_, cast.person_b)
    data = _xlsx(
        [
            ["宁波银行代发回盘"],
            ["业务编号", "金额", "交易状态", "失败原因"],
            [a.reference, 1000, "成功", ""],
            [b.reference, "1,500.00", "失败", "户名不符"],
            ["P99999999", 1, "成功", ""],
            [a.reference, 999, "成功", ""],
            ["X1", 1, "成功", ""],
            [b.reference, 1500, "不知道", ""],
        ]
    )
    report = services.import_results(
        actor=cast.city, round_=round_, data=data, filename="回盘.xlsx", visible=Payout.objects.all()
    )
    assert (report.updated, report.unchanged) == (2, 0)
    assert report.refused == [
        (5, "业务编号 P99999999 不在本批次（或不在你的数据范围内）"),
        (6, "金额 999.00 与名单金额 1,000.00 不一致"),
        (7, "业务编号“X1”格式不正确"),
        (8, "状态“不知道”无法识别（应为成功、失败或退回）"),
    ]
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.result, b.result, b.result_reason) == ("paid", "failed", "户名不符")
    # The same file again changes nothing.
    again = services.import_results(
        actor=cast.city, round_=round_, data=data, filename="回盘.xlsx", visible=Payout.objects.all()
    )
    assert (again.updated, again.unchanged) == (0, 2)


def test_return_file_in_gb18030_csv_respects_the_importers_scope(cast: Any) -> None:
    round_ = helpers.approved(cast)
    a, b = helpers.line_of(round_, cast.person_a), helpers.line_of(round_, cast.person_b)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerows([["编号", "状态", "原因"], [a.reference, "退票", "账户冻结"], [b.reference, "成功", ""]])
    visible = Payout.objects.visible_to(cast.district_a)
    report = services.import_results(
        actor=cast.district_a,
        round_=round_,
        data=text.getvalue().encode("gb18030"),
        filename="回盘.csv",
        visible=visible,
    )
    assert (report.updated, report.refused) == (1, [(3, f"业务编号 {b.reference} 不在本批次（或不在你的数据范围内）")])
    a.refresh_from_db()
    assert (a.result, a.result_reason) == ("returned", "账户冻结")
