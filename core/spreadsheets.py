"""Writing spreadsheets people open in Excel or WPS: formula-safe cells, text-formatted ID columns."""

from __future__ import annotations

import datetime as dt
import decimal
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def safe_text(value: str) -> str:
    """A leading apostrophe keeps a cell that starts like a formula from ever being one."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def cell_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | decimal.Decimal | dt.date | dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone().replace(tzinfo=None)
        return value
    return safe_text(str(value))


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str = "Sheet1",
    title: str | None = None,
    widths: Sequence[int] | None = None,
    text_columns: Iterable[int] = (),
    money_columns: Iterable[int] = (),
) -> bytes:
    """Stream rows into an .xlsx (write-only mode, constant memory) and return its bytes.
    ``text_columns`` (0-based) are stored with the text format so Excel never turns long numbers
    into 3.30203E+17; ``money_columns`` get a two-decimal format."""
    wb = Workbook(write_only=True)
    ws: Worksheet = wb.create_sheet(sheet_title[:31])
    text_cols, money_cols = set(text_columns), set(money_columns)
    for i, width in enumerate(widths or [max(10, min(40, len(h) * 2 + 4)) for h in headers]):
        ws.column_dimensions[_col(i)].width = width
    if title:
        c = WriteOnlyCell(ws, value=safe_text(title))
        c.font = Font(bold=True, size=14)
        ws.append([c])
    header_cells = []
    for h in headers:
        c = WriteOnlyCell(ws, value=safe_text(h))
        c.font, c.fill, c.alignment = Font(bold=True), HEADER_FILL, Alignment(horizontal="center")
        header_cells.append(c)
    ws.append(header_cells)
    for row in rows:
        out = []
        for i, value in enumerate(row):
            c = WriteOnlyCell(ws, value=cell_value(value))
            if i in text_cols:
                c.number_format = "@"
            elif i in money_cols:
                c.number_format = "#,##0.00"
            elif isinstance(value, dt.date):
                c.number_format = "yyyy-mm-dd"
            out.append(c)
        ws.append(out)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _col(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> Any:
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
