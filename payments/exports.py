"""The files a round produces: the bank payout file, the summary workbook and the sign-for-receipt
sheets (签收单). Each file's total is the sum of its own lines."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from core import crypto
from core.models import Region
from core.pdf import render_pdf
from core.spreadsheets import write_xlsx
from payments.models import ZERO, BankLayout, Payout, PayoutResult, PayoutRound
from payments.selectors import districts_in_round, round_summary, sign_sheet_rows
from payments.xlsxstream import write_sheet
from people.models import Level


def bank_lines_missing_details(round_: PayoutRound) -> QuerySet[Payout]:
    """Lines still to be paid whose frozen account has no number or no bank: never in a bank file."""
    return Payout.objects.filter(round=round_, excluded=False, result=PayoutResult.PENDING).filter(
        Q(bank_account_encrypted="") | Q(bank_name="")
    )


def bank_lines(round_: PayoutRound) -> Iterator[dict[str, Any]]:
    """Included lines still to be paid by this file (pending results) with complete bank details
    (account number and bank), in district order. Lines already paid, failed or returned are not
    in it (failed and returned ones are paid again by a follow-up round)."""
    rows = (
        Payout.objects.filter(round=round_, excluded=False, result=PayoutResult.PENDING)
        .exclude(bank_account_encrypted="")
        .exclude(bank_name="")
        .order_by("district__sort", "district__code", "id")
        .values_list(
            "pk",
            "person__name",
            "bank_account_name",
            "bank_account_encrypted",
            "bank_name",
            "person__id_number_encrypted",
            "amount",
            "district__name",
            "level",
        )
    )
    for pk, name, account_name, account_enc, bank, id_enc, amount, district, level in rows.iterator(chunk_size=5000):
        yield {
            "reference": f"P{pk:08d}",
            "name": name,
            "account_name": account_name or name,
            "account_enc": account_enc,
            "bank_name": bank,
            "id_enc": id_enc,
            "amount": amount,
            "district": district,
            "level": level,
        }


def bank_file(round_: PayoutRound, layout: BankLayout) -> tuple[bytes, int, Decimal]:
    """The .xlsx for the bank, in ``layout``'s columns. Full account (and ID) numbers are decrypted
    here and nowhere else."""
    fields = [c["field"] for c in layout.columns]
    headers = [c["header"] for c in layout.columns]
    money = [i for i, f in enumerate(fields) if f == "amount"]
    levels = {lv.value: str(lv.label) for lv in Level}
    count = 0
    total = ZERO

    def rows() -> Iterator[list[Any]]:
        nonlocal count, total
        for line in bank_lines(round_):
            count += 1
            total += line["amount"]
            out: list[Any] = []
            for f in fields:
                if f == "seq":
                    out.append(str(count))
                elif f == "account":
                    out.append(crypto.decrypt(line["account_enc"]))
                elif f == "id_number":
                    out.append(crypto.decrypt(line["id_enc"]))
                elif f == "level":
                    out.append(levels.get(line["level"], line["level"]))
                elif f == "remark":
                    out.append(round_.title)
                else:
                    out.append(line[f])
            yield out

    content = write_sheet(headers, rows(), sheet_title=layout.sheet_title, money_columns=money)
    return content, count, total


def summary_workbook(round_: PayoutRound, user: Any, *, paid_only: bool = False) -> bytes:
    # A file for the association's offices: Chinese whatever language the page is shown in.
    with translation.override("zh-hans"):
        summary = round_summary(round_, user, paid_only=paid_only)
    headers = ["区县(市)"]
    for label in summary.level_labels:
        headers += [f"{label}人数", f"{label}金额"]
    headers += ["合计人数", "合计金额", "首次领取人数", "已发放人数", "已发放金额"]
    money = [2 + 2 * i for i in range(len(summary.levels))] + [2 + 2 * len(summary.levels), 5 + 2 * len(summary.levels)]

    def line(row: Any) -> list[Any]:
        out: list[Any] = [row.district]
        for people, amount in row.cells(summary.levels):
            out += [people, amount]
        return [*out, row.total_people, row.total_amount, row.first_time, row.paid_people, row.paid_total]

    rows = [line(r) for r in summary.rows] + [line(summary.footer)]
    return write_xlsx(
        headers,
        rows,
        sheet_title="汇总",
        title=f"{round_.title} {'已发放' if paid_only else '发放'}汇总（{timezone.localdate():%Y年%m月%d日}）",
        money_columns=money,
    )


SIGN_PAGE_ROWS = 25


def _sheet(round_: PayoutRound, district: Region, user: Any) -> dict[str, Any]:
    lines = sign_sheet_rows(round_, district, user)
    pages = []
    for start in range(0, len(lines), SIGN_PAGE_ROWS):
        chunk = lines[start : start + SIGN_PAGE_ROWS]
        pages.append({"lines": chunk, "start": start, "subtotal": sum((p.amount for p in chunk), ZERO)})
    return {"district": district, "pages": pages, "count": len(lines), "total": sum((p.amount for p in lines), ZERO)}


def sign_sheet_pdf(round_: PayoutRound, district: Region, user: Any) -> tuple[bytes, int, Decimal]:
    """签收单 for one district: one table, page subtotals and a grand total, a signature column."""
    sheet = _sheet(round_, district, user)
    content = render_pdf("payments/sign_sheet_pdf.html", {"round": round_, "sheets": [sheet]})
    return content, sheet["count"], sheet["total"]


def sign_sheets_pdf(
    round_: PayoutRound, user: Any, progress: Callable[[int, int], None] | None = None
) -> tuple[bytes, int, Decimal]:
    """Every district the user sees, one after another in one printable file."""
    districts = districts_in_round(round_, user)
    sheets = []
    for i, district in enumerate(districts, 1):
        sheets.append(_sheet(round_, district, user))
        if progress:
            progress(i, len(districts) + 1)
    content = render_pdf("payments/sign_sheet_pdf.html", {"round": round_, "sheets": sheets})
    return content, sum(s["count"] for s in sheets), sum((s["total"] for s in sheets), ZERO)
