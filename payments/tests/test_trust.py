"""Issue 11 in payments: nobody paid twice, bank files of the lines still to be paid and with
complete bank details only, the district's confirmation, keys in the database, the scope of the
exclusion list, and every download of personal data logged."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from core.errors import DomainError
from core.models import AuditEntry, Job
from core.services import revoke_role
from payments import services
from payments.models import BankLayout, DistrictReport, Payout, PayoutRound, RoundStatus
from payments.tests import helpers
from people.services import update_person


def _rows(content: bytes) -> list[list[Any]]:
    return [list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def _layout() -> BankLayout:
    return BankLayout.objects.get(is_default=True)


# --- 1. nobody paid twice for one kind and year ------------------------------------------------


def test_a_second_round_of_the_same_kind_and_year_leaves_out_those_already_paid(cast: Any, client_for: Any) -> None:
    first = helpers.approved(cast)
    services.mark_result(actor=cast.city, payout=helpers.line_of(first, cast.person_a), result="paid")
    second = helpers.draft(cast, title="2026年春节慰问金（第二批）")
    a, b = helpers.line_of(second, cast.person_a), helpers.line_of(second, cast.person_b)
    assert [(p.excluded, p.excluded_reason, p.note) for p in (a, b)] == [
        (
            True,
            "already_paid",
            f"本年度已在“2026年春节慰问金”（{helpers.line_of(first, cast.person_a).reference}）发放，不重复发放",
        ),
        (
            True,
            "already_paid",
            f"本年度已在“2026年春节慰问金”（{helpers.line_of(first, cast.person_b).reference}）批准发放，不重复发放",
        ),
    ]
    assert AuditEntry.objects.filter(action="payments.round.drafted").order_by("id").last().changes == {  # type: ignore[union-attr]
        "rule_version": "2026年春节慰问金发放规则 v1",
        "people": 0,
        "total": "0.00",
        "already_paid": 2,
    }
    page = client_for("city").get(f"/payments/rounds/{second.pk}/").content.decode()
    assert "本年度已在其他批次发放" in page and "不重复发放" in page
    with pytest.raises(DomainError, match="不能恢复"):
        services.restore_payout(actor=cast.city, payout=a)
    with pytest.raises(DomainError, match="名单为空"):
        services.approve_round(actor=cast.city, round_=second)


def test_approving_a_round_that_would_pay_someone_twice_is_refused(cast: Any) -> None:
    first = helpers.draft(cast, title="第一批")
    second = helpers.draft(cast, title="第二批")  # drafted while the first was still a draft
    services.approve_round(actor=cast.city, round_=first)
    with pytest.raises(DomainError) as refused:
        services.approve_round(actor=cast.city, round_=second)
    assert refused.value.message == (
        "有 2 人本年度已在其他批次批准或发放，不能重复发放：万亚勇、单秀英。"
        "请先在名单中剔除（原因选“本年度已在其他批次发放”）再批准"
    )
    assert PayoutRound.objects.get(pk=second.pk).status == RoundStatus.DRAFT


def test_failed_and_returned_lines_are_reissued_and_the_rules_may_allow_repeats(cast: Any) -> None:
    first = helpers.approved(cast)
    services.mark_result(actor=cast.city, payout=helpers.line_of(first, cast.person_a), result="paid")
    services.mark_result(
        actor=cast.city, payout=helpers.line_of(first, cast.person_b), result="returned", reason="账户冻结"
    )
    follow = services.create_follow_up_round(actor=helpers.second_city_user(), round_=first)
    services.approve_round(actor=cast.city, round_=follow)  # the re-issue of a returned line
    assert PayoutRound.objects.get(pk=follow.pk).status == RoundStatus.APPROVED
    # Once re-issued, person_b is held by the follow-up round: a new draft leaves both out.
    third = helpers.draft(cast, title="第三批")
    assert list(Payout.objects.filter(round=third, excluded=False)) == []
    # A rule that says so pays again within the year.
    rule_set = helpers.spring_rules(cast)
    services.save_rule_version(
        actor=cast.city, rule_set=rule_set, rules={**helpers.RULES, "allow_repeat": True}, note="季度发放"
    )
    fourth = helpers.draft(cast, title="第四批")
    assert Payout.objects.filter(round=fourth, excluded=False).count() == 2
    services.approve_round(actor=cast.city, round_=fourth)


def test_a_person_already_paid_cannot_be_added_by_correction(cast: Any) -> None:
    first = helpers.draft(cast, title="第一批")
    second = helpers.draft(cast, title="第二批")
    services.approve_round(actor=cast.city, round_=first)
    services.exclude_payout(actor=cast.city, payout=helpers.line_of(second, cast.person_a), reason="already_paid")
    # person_b's line in the first round came back: the second round may pay them.
    services.mark_result(
        actor=cast.city, payout=helpers.line_of(first, cast.person_b), result="returned", reason="账户冻结"
    )
    services.approve_round(actor=cast.city, round_=second)
    Payout.objects.filter(round=second, person=cast.person_a).delete()  # as if never drafted
    cast.person_a.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.request_correction(
            actor=cast.city,
            round_=second,
            kind="add",
            person=cast.person_a,
            new_amount=Decimal("1000"),
            reason="漏发",
        )
    reference = helpers.line_of(first, cast.person_a).reference
    assert refused.value.message == f"“万亚勇”不能补录：本年度已在“第一批”（{reference}）批准发放，不重复发放"


# --- 2. the bank file: lines still to be paid, a second download confirmed -----------------------


def test_bank_file_holds_only_the_lines_still_to_be_paid_and_a_second_download_is_confirmed(
    cast: Any, client_for: Any
) -> None:
    round_ = helpers.approved(cast)
    services.mark_result(actor=cast.city, payout=helpers.line_of(round_, cast.person_a), result="paid")
    client = client_for("city")
    response = client.post(f"/payments/rounds/{round_.pk}/bank-file/", {"layout": _layout().pk})
    assert response.status_code == 200
    assert "仅待发放-第1次导出" in unquote(response["Content-Disposition"])
    rows = _rows(response.content)
    assert [r[2] for r in rows[1:]] == ["单秀英"]  # 万亚勇 is paid already
    assert AuditEntry.objects.get(action="payments.round.bank_exported").changes == {
        "layout": "通用代发格式",
        "people": 1,
        "total": "1500.00",
        "export": 1,
    }
    page = client.get(f"/payments/rounds/{round_.pk}/").content.decode()
    assert "已导出过 1 次" in page
    assert "本批次的代发文件已导出过 1 次，是否确认再次导出？" in page
    # Without the confirmation: refused, nothing written, nothing logged.
    refused = client.post(f"/payments/rounds/{round_.pk}/bank-file/", {"layout": _layout().pk})
    assert refused.status_code == 302
    assert AuditEntry.objects.filter(action="payments.round.bank_exported").count() == 1
    again = client.post(f"/payments/rounds/{round_.pk}/bank-file/", {"layout": _layout().pk, "again": "1"})
    assert again.status_code == 200 and "第2次导出" in unquote(again["Content-Disposition"])
    assert AuditEntry.objects.filter(action="payments.round.bank_exported").count() == 2
    assert PayoutRound.objects.get(pk=round_.pk).bank_exports == 2
    # Everything has its result: no bank file at all.
    services.mark_result(actor=cast.city, payout=helpers.line_of(round_, cast.person_b), result="paid")
    services.close_round(actor=cast.city, round_=round_)
    with pytest.raises(DomainError, match="没有待发放的明细"):
        services.export_bank_file(actor=cast.city, round_=round_, layout=_layout(), again=True)


# --- 3. no bank details, no approval, never in a bank file ---------------------------------------


def test_lines_without_bank_details_block_approval_with_a_fix_link(cast: Any, client_for: Any) -> None:
    helpers.honour_cast(cast)
    update_person(actor=None, person=cast.person_a, bank_account="")
    round_ = helpers.draft(cast)
    page = client_for("city").get(f"/payments/rounds/{round_.pk}/").content.decode()
    assert "1 人缺少银行账号或开户银行" in page
    assert f'href="/people/{cast.person_a.pk}/edit/"' in page
    with pytest.raises(DomainError) as refused:
        services.approve_round(actor=cast.city, round_=round_)
    assert refused.value.message == "有 1 人缺少银行账号或开户银行，不能批准：万亚勇。请补全银行信息或剔除后再批准"
    update_person(actor=None, person=cast.person_a, bank_account=helpers.ACCOUNT_A, bank_name="")
    with pytest.raises(DomainError, match="缺少银行账号或开户银行"):
        services.approve_round(actor=cast.city, round_=round_)
    update_person(actor=None, person=cast.person_a, bank_name="中国工商银行宁波分行")
    services.approve_round(actor=cast.city, round_=round_)


def test_a_frozen_line_without_an_account_is_never_written_into_the_bank_file(cast: Any) -> None:
    round_ = helpers.approved(cast)
    # A round approved before the check, with an empty account frozen into a line.
    Payout.objects.filter(round=round_, person=cast.person_a).update(bank_account_encrypted="", bank_account_masked="")
    content = services.export_bank_file(actor=cast.city, round_=round_, layout=_layout())
    assert [r[2] for r in _rows(content)[1:]] == ["单秀英"]
    assert AuditEntry.objects.get(action="payments.round.bank_exported").changes["missing_bank_details"] == 1


# --- 4. the date field and the district's confirmation ------------------------------------------


def test_the_round_forms_reference_date_is_in_the_date_fields_format(cast: Any, client_for: Any) -> None:
    page = client_for("city").get("/payments/rounds/new/").content.decode()
    assert f'type="date" name="reference_date" value="{timezone.localdate():%Y-%m-%d}"' in page


def test_districts_confirm_and_report_and_the_city_sees_who_has_not(cast: Any, client_for: Any) -> None:
    round_ = helpers.draft(cast)
    district_a = client_for("district_a")
    assert district_a.post(f"/payments/rounds/{round_.pk}/report/{cast.region_b.pk}/").status_code == 404
    assert district_a.post(f"/payments/rounds/{round_.pk}/report/{cast.region_a.pk}/").status_code == 302
    report = DistrictReport.objects.get()
    assert (report.district, report.people, report.total, report.reported_by) == (
        cast.region_a,
        1,
        Decimal("1000.00"),
        cast.district_a,
    )
    page = client_for("city").get(f"/payments/rounds/{round_.pk}/").content.decode()
    assert "未上报：海曙区" in page
    assert "以下区县尚未确认上报：海曙区。" in page  # in the approval's confirmation
    # Reported lines are frozen for review until the report is withdrawn.
    with pytest.raises(DomainError, match="“鄞州区”已确认上报，如需修改请先撤回上报"):
        services.exclude_payout(actor=cast.district_a, payout=helpers.line_of(round_, cast.person_a), reason="refused")
    services.withdraw_district_report(actor=cast.district_a, round_=round_, district=cast.region_a)
    services.note_payout(actor=cast.district_a, payout=helpers.line_of(round_, cast.person_a), note="已电话确认")
    services.report_district(actor=cast.district_a, round_=round_, district=cast.region_a)
    with pytest.raises(DomainError, match="已确认上报"):
        services.report_district(actor=cast.district_a, round_=round_, district=cast.region_a)
    services.report_district(actor=cast.district_b, round_=round_, district=cast.region_b)
    page = client_for("city").get(f"/payments/rounds/{round_.pk}/").content.decode()
    assert "各区县均已确认上报" in page
    services.approve_round(actor=cast.city, round_=round_)
    assert AuditEntry.objects.get(action="payments.round.approved").changes == {"people": 2, "total": "2500.00"}
    assert list(
        AuditEntry.objects.filter(action__startswith="payments.district.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "payments.district.reported",
        "payments.district.withdrawn",
        "payments.district.reported",
        "payments.district.reported",
    ]


# --- 5. referential integrity in the database ---------------------------------------------------


def test_payout_lines_have_database_foreign_keys_to_person_and_district(db: None) -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "payments_payout")
    keys = {tuple(c["columns"]): c["foreign_key"] for c in constraints.values() if c["foreign_key"]}
    assert keys[("person_id",)] == ("people_person", "id")
    assert keys[("district_id",)] == ("core_region", "id")


# --- 6. the exclusion list of a rule goes through the scope rule ---------------------------------


def test_district_staff_do_not_see_another_districts_person_in_a_rules_exclusion_list(
    cast: Any, client_for: Any
) -> None:
    rule_set = helpers.spring_rules(cast)
    services.save_rule_version(
        actor=cast.city,
        rule_set=rule_set,
        rules={**helpers.RULES, "excluded_person_ids": [cast.person_a.pk, cast.person_b.pk]},
        note="另行发放",
    )
    url = f"/payments/rules/{rule_set.pk}/"
    city = client_for("city").get(url).content.decode()
    assert "万亚勇" in city and "单秀英" in city
    district_a = client_for("district_a").get(url).content.decode()
    assert "万亚勇" in district_a and "单秀英" not in district_a
    district_b = client_for("district_b").get(url).content.decode()
    assert "单秀英" in district_b and "万亚勇" not in district_b


# --- 7. every download of personal data is logged ------------------------------------------------


def test_sign_sheet_and_summary_downloads_are_logged(
    cast: Any, client_for: Any, django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    round_ = helpers.approved(cast)
    client = client_for("district_a")
    assert client.get(f"/payments/rounds/{round_.pk}/sign-sheet/{cast.region_a.pk}/").status_code == 200
    assert client.get(f"/payments/rounds/{round_.pk}/sign-sheet/{cast.region_b.pk}/").status_code == 404
    assert client.get(f"/payments/rounds/{round_.pk}/summary.xlsx?basis=paid").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/payments/rounds/{round_.pk}/sign-sheets/")
    entries = list(
        AuditEntry.objects.filter(action__in=["payments.round.sign_sheet_exported", "payments.round.summary_exported"])
        .order_by("id")
        .values_list("actor__username", "action", "changes")
    )
    assert entries == [
        (
            "district_a",
            "payments.round.sign_sheet_exported",
            {"district": "鄞州区", "people": 1, "total": "1000.00"},
        ),
        ("district_a", "payments.round.summary_exported", {"basis": "paid"}),
        ("district_a", "payments.round.sign_sheet_exported", {"district": "全部", "people": 1, "total": "1000.00"}),
    ]


def test_the_sign_sheets_job_checks_its_owners_permission_again(
    cast: Any, client_for: Any, django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Any
) -> None:

    settings.MEDIA_ROOT = tmp_path
    round_ = helpers.approved(cast)
    client = client_for("district_a")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(f"/payments/rounds/{round_.pk}/sign-sheets/")
    for assignment in list(cast.district_a.role_assignments.all()):
        revoke_role(actor=None, assignment=assignment)
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert (job.status, job.message) == ("failed", "发起人已没有这项工作的权限，未做任何处理")
    assert not AuditEntry.objects.filter(action="payments.round.sign_sheet_exported").exists()
