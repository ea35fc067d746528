"""Test helpers: valid ID numbers and workbooks written the way district offices write them."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import openpyxl
import xlwt

from core.idnumber import check_char


def make_id(area: str = "330212", birth: str = "19650312", seq: str = "005") -> str:
    first = area + birth + seq
    return first + check_char(first)


def xlsx(rows: Sequence[Sequence[Any]], *, merges: Sequence[str] = (), text_cols: Sequence[int] = ()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(list(row))
    for m in merges:
        ws.merge_cells(m)
    for c in text_cols:
        for r in range(1, len(rows) + 1):
            ws.cell(row=r, column=c + 1).number_format = "@"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEADER = ["姓名", "身份证号", "区县(市)", "手机号", "荣誉称号", "状态"]


def xls(rows: Sequence[Sequence[Any]], *, merges: Sequence[tuple[int, int, int, int]] = ()) -> bytes:
    """An Excel 97-2003 workbook (xlwt): strings are written as text cells, dates as date cells
    (YYYY-MM-DD), numbers as numbers; ``merges`` are (first row, last row, first col, last col),
    0-based, the value taken from the top-left cell."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("普查表")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    text_style = xlwt.easyxf(num_format_str="@")
    covered = set()
    for r0, r1, c0, c1 in merges:
        ws.write_merge(r0, r1, c0, c1, rows[r0][c0])
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in covered or value is None:
                continue
            if isinstance(value, dt.date):
                ws.write(r, c, value, date_style)
            elif isinstance(value, str):
                ws.write(r, c, value, text_style)
            else:
                ws.write(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
