"""Reading the spreadsheets people send: .xlsx, .xls (python-calamine) and .csv in UTF-8, UTF-8 with
BOM or GB18030. Returns plain rows of cell values; the census importer builds on this.

Guards for hostile files: size limits, the zip's uncompressed size (zip bombs), password-protected
workbooks (which arrive as OLE containers, not zips) and overlong cells.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from python_calamine import CalamineWorkbook

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_CELL_CHARS = 1000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class SheetError(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]


def _csv_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise SheetError("CSV 文件的编码无法识别，请另存为 UTF-8 或 GB18030（Excel 的“CSV（逗号分隔）”）") from exc


def read_rows(data: bytes, filename: str) -> Sheet:
    """The first sheet of a workbook (or a CSV file) as rows of values."""
    if not data:
        raise SheetError("文件是空的")
    if len(data) > MAX_FILE_BYTES:
        raise SheetError(f"文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB，请分成几个文件上传")
    lower = filename.lower()
    if lower.endswith(".csv"):
        text = _csv_text(data)
        csv_rows: list[list[Any]] = [list(r) for r in csv.reader(io.StringIO(text))]
        return Sheet(name=filename, rows=csv_rows)
    if lower.endswith(".xlsx"):
        if data.startswith(OLE_MAGIC):
            raise SheetError("文件设置了密码保护，无法读取。请在 Excel 中取消密码后再上传")
        if not data.startswith(ZIP_MAGIC):
            raise SheetError("文件不是有效的 Excel（.xlsx）文件，可能是扩展名被改过")
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                total = sum(i.file_size for i in zf.infolist())
        except zipfile.BadZipFile as exc:
            raise SheetError("文件已损坏，无法作为 Excel 文件打开") from exc
        if total > MAX_UNCOMPRESSED_BYTES:
            raise SheetError("文件解压后过大，拒绝读取（可能是恶意文件）")
    elif lower.endswith(".xls"):
        if not data.startswith(OLE_MAGIC):
            raise SheetError("文件不是有效的 Excel 97-2003（.xls）文件，可能是扩展名被改过")
    else:
        raise SheetError("只支持 .xlsx、.xls 和 .csv 文件")
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise SheetError("工作簿中没有工作表")
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except SheetError:
        raise
    except Exception as exc:
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise SheetError("文件设置了密码保护，无法读取。请在 Excel 中取消密码后再上传") from exc
        raise SheetError("文件无法读取，可能已损坏或不是 Excel 文件") from exc
    return Sheet(name=workbook.sheet_names[0], rows=[list(r) for r in rows])


def iter_cells_too_long(rows: list[list[Any]]) -> Iterator[tuple[int, int]]:
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                yield r, c
