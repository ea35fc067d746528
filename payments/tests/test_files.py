from __future__ import annotations

import io
import subprocess
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from core.errors import DomainError
from core.models import AuditEntry, Job
from payments import exports, services
from payments.models import BankLayout, Payout, PayoutRound
from payments.selectors import round_summary, round_totals
from payments.tests import helpers
from people.models import HonourTitle
from people.services import add_honour, create_person


def _sheet(content: bytes) -> list[list[Any]]:
    wb = load_workbook(io.BytesIO(content))
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


def _no_formulas(content: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return all(b"<f>" not in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))


def test_bank_file_follows_the_layout_carries_full_accounts_and_is_logged(cast: Any) -> None:
    round_ = helpers.approved(cast)
    layout = BankLayout.objects.get(is_default=True)
    content = services.export_bank_file(actor=cast.city, round_=round_, layout=layout)
    rows = _sheet(content)
    a, b = helpers.line_of(round_, cast.person_a), helpers.line_of(round_, cast.person_b)
    assert rows == [
        ["序号", "收款账号", "收款户名", "金额", "开户行", "业务编号", "用途"],
        ["1", helpers.ACCOUNT_B, "单秀英", 1500, "中国建设银行宁波分行", b.reference, "2026年春节慰问金"],
        ["2", helpers.ACCOUNT_A, "万亚勇", 1000, "中国工商银行宁波分行", a.reference, "2026年春节慰问金"],
    ]
    assert sum(Decimal(str(r[3])) for r in rows[1:]) == round_totals(round_).approved_total
    assert _no_formulas(content)
    entry = AuditEntry.objects.get(action="payments.round.bank_exported")
    assert entry.changes == {"layout": "通用代发格式", "people": 2, "total": "2500.00", "export": 1}


def test_a_custom_layout_orders_and_names_columns(cast: Any) -> None:
    layout = services.save_bank_layout(
        actor=cast.city,
        layout=None,
        name="宁波银行",
        columns=[
            {"field": "id_number", "header": "证件号码"},
            {"field": "name", "header": "姓名"},
            {"field": "account", "header": "卡号"},
            {"field": "amount", "header": "代发金额"},
        ],
    )
    round_ = helpers.approved(cast)
    rows = _sheet(services.export_bank_file(actor=cast.city, round_=round_, layout=layout))
    assert rows[0] == ["证件号码", "姓名", "卡号", "代发金额"]
    assert rows[2] == ["330212196503120013", "万亚勇", helpers.ACCOUNT_A, 1000]


def test_bank_file_needs_an_approved_round(cast: Any) -> None:

    with pytest.raises(DomainError, match="批准后"):
        services.export_bank_file(actor=cast.city, round_=helpers.draft(cast), layout=BankLayout.objects.first())  # type: ignore[arg-type]


def test_sign_sheet_is_a_chinese_pdf_with_its_total(cast: Any) -> None:
    round_ = helpers.approved(cast)
    content, count, total = exports.sign_sheet_pdf(round_, cast.region_a, cast.city)
    assert (count, total) == (1, Decimal("1000.00"))
    assert content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607 - poppler-utils on PATH
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "2026年春节慰问金 签收单" in text
    assert "区县(市)：鄞州区" in text
    assert "万亚勇" in text
    assert "壹仟元整" in text
    assert "本人签名" in text


def _totals_equal_their_lines(round_: PayoutRound, user: Any) -> None:
    lines = list(Payout.objects.visible_to(user).filter(round=round_, excluded=False).values_list("amount", flat=True))
    summary = round_summary(round_, user)
    assert summary.footer.total_amount == sum(lines, Decimal("0.00"))
    assert summary.footer.total_amount == sum((r.total_amount for r in summary.rows), Decimal("0.00"))
    assert round_totals(round_, user).approved_total == sum(lines, Decimal("0.00"))
    rows = _sheet(exports.summary_workbook(round_, user))
    # The file is for Chinese offices: the same headers when the page is shown in English.
    with translation.override("en"):
        assert _sheet(exports.summary_workbook(round_, user))[1] == rows[1]
    body, footer = rows[2:-1], rows[-1]
    total_col = rows[1].index("合计金额")
    assert Decimal(str(footer[total_col])) == sum((Decimal(str(r[total_col])) for r in body), Decimal("0.00"))
    assert Decimal(str(footer[total_col])) == summary.footer.total_amount


def check_totals_invariant(cast: Any) -> None:
    """Totals on every page, file and report equal the sum of their lines — with fen that a
    float would lose, and for a district user as for the city."""
    for i in range(3):
        p = create_person(
            actor=None,
            region=cast.region_a,
            name=f"测试{i}",
            gender="M",
            hardship=True,
            bank_account=f"62220200001111{i:05d}",
            bank_name="宁波银行",
        )
        add_honour(actor=None, person=p, title=HonourTitle.objects.get(name="宁波市劳动模范"), year=2014)
    rule_set = helpers.spring_rules(cast, hardship_topup=Decimal("333.33"), amount_city=Decimal("1000.10"))
    round_ = services.draft_round(
        actor=helpers.second_city_user(), rule_set=rule_set, title="t", reference_date=helpers.DAY
    )
    round_ = services.approve_round(actor=cast.city, round_=round_)
    for user in (cast.city, cast.district_a, cast.district_b):
        _totals_equal_their_lines(round_, user)
    bank = _sheet(
        services.export_bank_file(actor=cast.city, round_=round_, layout=BankLayout.objects.get(is_default=True))
    )
    assert sum(Decimal(str(r[3])) for r in bank[1:]) == round_totals(round_).approved_total == Decimal("6500.39")
    for district in (cast.region_a, cast.region_b):
        _content, _count, total = exports.sign_sheet_pdf(round_, district, cast.city)
        lines = Payout.objects.filter(round=round_, district=district).values_list("amount", flat=True)
        assert total == sum(lines, Decimal("0.00"))


def test_totals_equal_the_sum_of_their_lines(cast: Any) -> None:
    check_totals_invariant(cast)


@pytest.mark.postgres
def test_totals_equal_the_sum_of_their_lines_on_postgresql(cast: Any) -> None:
    check_totals_invariant(cast)


def test_summary_counts_people_paid_by_district_and_level(cast: Any, client_for: Any) -> None:
    round_ = helpers.approved(cast)
    services.mark_result(actor=cast.city, payout=helpers.line_of(round_, cast.person_a), result="paid")
    paid = round_summary(round_, cast.city, paid_only=True)
    assert [(r.district, r.people, r.total_amount) for r in paid.rows] == [("鄞州区", {"city": 1}, Decimal("1000.00"))]
    page = client_for("city").get(f"/payments/rounds/{round_.pk}/summary/?basis=paid").content.decode()
    assert "鄞州区" in page and "海曙区" not in page
    rows = _sheet(client_for("city").get(f"/payments/rounds/{round_.pk}/summary.xlsx?basis=paid").content)
    assert rows[0][0].startswith("2026年春节慰问金 已发放汇总")
    assert rows[1] == [
        "区县(市)",
        "市级人数",
        "市级金额",
        "合计人数",
        "合计金额",
        "首次领取人数",
        "已发放人数",
        "已发放金额",
    ]
    assert rows[2] == ["鄞州区", 1, 1000, 1, 1000, 1, 1, 1000]
    assert rows[3] == ["合计", 1, 1000, 1, 1000, 1, 1, 1000]


def test_all_sign_sheets_are_one_pdf_built_as_a_job_in_the_users_scope(
    cast: Any, client_for: Any, django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Any
) -> None:

    settings.MEDIA_ROOT = tmp_path

    round_ = helpers.approved(cast)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("district_b").post(f"/payments/rounds/{round_.pk}/sign-sheets/")
    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    assert (job.status, job.message) == ("done", "共 1 人，合计 1,500.00 元")
    with job.result_file.open("rb") as f:
        content = f.read()
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607 - poppler-utils on PATH
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "单秀英" in text and "万亚勇" not in text
