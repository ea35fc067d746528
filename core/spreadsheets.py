"""Writing spreadsheets people open in Excel or WPS: formula-safe cells, text-formatted ID columns.
Control characters (which an .xlsx cannot hold) are dropped on the way out: input refuses them,
but a record stored before that rule must still export (``core.controlchars``)."""

from __future__ import annotations

import datetime as dt
import decimal
import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.controlchars import strip_control_characters

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def safe_text(value: str) -> str:
    """A leading apostrophe keeps a cell that starts like a formula from ever being one;
    control characters are dropped."""
    value = strip_control_characters(value)
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


# Excel's limit is 1,048,576 rows a sheet; longer exports go on to a second sheet (header again).
MAX_SHEET_ROWS = 1_000_000


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
    buffer = io.BytesIO()
    write_xlsx_to(
        buffer,
        headers,
        rows,
        sheet_title=sheet_title,
        title=title,
        widths=widths,
        text_columns=text_columns,
        money_columns=money_columns,
    )
    return buffer.getvalue()


def write_xlsx_to(
    target: Any,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str = "Sheet1",
    title: str | None = None,
    widths: Sequence[int] | None = None,
    text_columns: Iterable[int] = (),
    money_columns: Iterable[int] = (),
    rows_per_sheet: int = MAX_SHEET_ROWS,
) -> int:
    """``write_xlsx`` into a file (a path or a binary file object, e.g. a temporary file), so
    an export of millions of rows holds neither its rows nor its bytes in memory: rows are
    pulled one at a time and openpyxl's write-only sheets spool to disk. After
    ``rows_per_sheet`` rows a new sheet begins ("操作日志 (2)"). Returns the number of rows."""
    wb = Workbook(write_only=True)
    text_cols, money_cols = set(text_columns), set(money_columns)
    column_widths = list(widths or [max(10, min(40, len(h) * 2 + 4)) for h in headers])
    ws: Worksheet | None = None
    sheets = count = in_sheet = 0
    for row in rows:
        if ws is None or in_sheet >= rows_per_sheet:
            sheets += 1
            ws = _new_sheet(wb, sheet_title, sheets, headers, title, column_widths)
            in_sheet = 0
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
        count += 1
        in_sheet += 1
    if ws is None:
        _new_sheet(wb, sheet_title, 1, headers, title, column_widths)
    wb.save(target)
    return count


def _new_sheet(
    wb: Workbook, sheet_title: str, number: int, headers: Sequence[str], title: str | None, widths: list[int]
) -> Worksheet:
    name = sheet_title[:31] if number == 1 else f"{sheet_title[:24]} ({number})"
    ws: Worksheet = wb.create_sheet(name)
    for i, width in enumerate(widths):
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
    return ws


def _col(index: int) -> str:

    return get_column_letter(index + 1)


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> Any:

    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
