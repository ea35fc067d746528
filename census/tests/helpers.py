"""Test helpers: valid ID numbers and workbooks written the way district offices write them."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import openpyxl

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
