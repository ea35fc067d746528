"""Reading the spreadsheets people send: .xlsx, .xls (python-calamine) and .csv in UTF-8, UTF-8 with
BOM or GB18030. Returns plain rows of cell values; the census importer builds on this.

Guards for hostile files: size limits, the zip's uncompressed size (zip bombs), password-protected
workbooks (which arrive as OLE containers, not zips), damaged zips (a bad CRC), formulas (also in
a namespaced ``<x:f>``), overlong cells and control characters in cells (``core.controlchars``;
tab and line breaks pass: a cell may hold lines).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from core.controlchars import code_of, first_control_character

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_CELL_CHARS = 1000
MAX_ROWS = 200_000
MAX_COLUMNS = 200
HEADER_SEARCH_ROWS = 30
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
        raise SheetError(_("CSV 文件的编码无法识别，请另存为 UTF-8 或 GB18030（Excel 的“CSV（逗号分隔）”）")) from exc


def _check_container(data: bytes, filename: str) -> str:
    """Refuse what is not a spreadsheet we read; return the kind ("csv", "xlsx", "xls")."""
    if not data:
        raise SheetError(_("文件是空的"))
    if len(data) > MAX_FILE_BYTES:
        raise SheetError(_("文件超过 %(mb)s MB，请分成几个文件上传") % {"mb": MAX_FILE_BYTES // 1024 // 1024})
    lower = filename.lower()
    if lower.endswith(".csv"):
        if data.startswith((OLE_MAGIC, ZIP_MAGIC)):
            raise SheetError(_("文件扩展名是 .csv，但内容是 Excel 工作簿：请把扩展名改回 .xlsx 或 .xls"))
        return "csv"
    if lower.endswith(".xlsx"):
        if data.startswith(OLE_MAGIC):
            raise SheetError(_("文件设置了密码保护，无法读取。请在 Excel 中取消密码后再上传"))
        if not data.startswith(ZIP_MAGIC):
            raise SheetError(_("文件不是有效的 Excel（.xlsx）文件，可能是扩展名被改过"))
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                total = sum(i.file_size for i in zf.infolist())
        except zipfile.BadZipFile as exc:
            raise SheetError(_("文件已损坏，无法作为 Excel 文件打开")) from exc
        if total > MAX_UNCOMPRESSED_BYTES:
            raise SheetError(_("文件解压后过大，拒绝读取（可能是恶意文件）"))
        return "xlsx"
    if lower.endswith(".xls"):
        if not data.startswith(OLE_MAGIC):
            raise SheetError(_("文件不是有效的 Excel 97-2003（.xls）文件，可能是扩展名被改过"))
        return "xls"
    raise SheetError(_("只支持 .xlsx、.xls 和 .csv 文件"))


def _open_workbook(data: bytes) -> Any:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise SheetError(_("工作簿中没有工作表"))
        return workbook
    except SheetError:
        raise
    except Exception as exc:
        raise _calamine_error(exc) from exc


def _calamine_error(exc: Exception) -> SheetError:
    text = str(exc).lower()
    if "password" in text or "encrypt" in text:
        return SheetError(_("文件设置了密码保护，无法读取。请在 Excel 中取消密码后再上传"))
    return SheetError(_("文件无法读取，可能已损坏或不是 Excel 文件"))


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def refuse_control_characters(index: int, row: list[Any]) -> None:
    """Raise ``SheetError`` naming the first cell of the row (0-based ``index``) that holds a
    control character. One search over the row's text decides most rows."""
    if first_control_character("".join(v for v in row if type(v) is str), multiline=True) is None:
        return
    for c, value in enumerate(row):
        char = first_control_character(value, multiline=True) if isinstance(value, str) else None
        if char:
            raise SheetError(
                _("%(cell)s 单元格含有不可见的控制字符（%(code)s），请删除该字符后重新上传")
                % {"cell": f"{_column_letter(c)}{index + 1}", "code": code_of(char)}
            )


def read_rows(data: bytes, filename: str) -> Sheet:
    """The first sheet of a workbook (or a CSV file) as rows of values."""
    kind = _check_container(data, filename)
    if kind == "csv":
        text = _csv_text(data)
        try:
            csv_rows: list[list[Any]] = [list(r) for r in csv.reader(io.StringIO(text.replace("\0", ""), newline=""))]
        except csv.Error as exc:
            raise SheetError(_("CSV 文件格式有误，无法读取；请在 Excel 中打开后另存为 CSV 再上传")) from exc
        for i, row in enumerate(csv_rows):
            refuse_control_characters(i, row)
        return Sheet(name=filename, rows=csv_rows)
    workbook = _open_workbook(data)
    try:
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:
        raise _calamine_error(exc) from exc
    sheet_rows = [list(r) for r in rows]
    for i, row in enumerate(sheet_rows):
        refuse_control_characters(i, row)
    return Sheet(name=workbook.sheet_names[0], rows=sheet_rows)


@dataclass
class SheetStream:
    """The first sheet as a stream of rows (0-based index = Excel row number - 1), with vertical
    merged cells filled down so a district merged over ten rows reads as ten districts."""

    name: str
    kind: str
    rows: Iterator[tuple[int, list[Any]]]
    total_rows: int
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


# ``<f>`` or, written by some generators, with a namespace prefix: ``<x:f>``.
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[ >/]")
_CELL_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c r="([A-Z]+[0-9]+)"')


def find_formula(data: bytes) -> str | None:
    """The first cell holding a formula in an .xlsx (its reference, e.g. "E8"), or None.
    Reads the sheet XML in a stream, so a large workbook costs no memory. A damaged zip (a bad
    CRC, a broken deflate stream) is a ``SheetError``."""
    try:
        return _find_formula(data)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise SheetError(_("文件已损坏，无法作为 Excel 文件打开")) from exc


def _find_formula(data: bytes) -> str | None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            tail = b""
            with zf.open(info) as fh:
                while chunk := fh.read(1 << 20):
                    buf = tail + chunk
                    match = _FORMULA.search(buf)
                    if match:
                        refs = _CELL_REF.findall(buf, 0, match.start())
                        return refs[-1].decode() if refs else "?"
                    tail = buf[-4096:]
    return None


def open_sheet(data: bytes, filename: str) -> SheetStream:
    """Check the file and open its first sheet as a stream. Refuses formulas (the value a clerk
    sees may not be what is stored) and sheets over ``MAX_ROWS`` rows or ``MAX_COLUMNS`` columns."""
    kind = _check_container(data, filename)
    if kind == "csv":
        text = _csv_text(data)
        total = text.count("\n") + 1
        if total > MAX_ROWS + 1:
            raise SheetError(_("文件超过 %(rows)s 行，请分成几个文件上传") % {"rows": f"{MAX_ROWS:,}"})

        def csv_rows() -> Iterator[tuple[int, list[Any]]]:
            try:
                for i, row in enumerate(csv.reader(io.StringIO(text.replace("\0", ""), newline=""))):
                    if len(row) > MAX_COLUMNS:
                        raise SheetError(
                            _("第 %(row)s 行超过 %(columns)s 列，请删除多余的列")
                            % {"row": i + 1, "columns": MAX_COLUMNS}
                        )
                    refuse_control_characters(i, row)
                    yield i, row
            except csv.Error as exc:
                raise SheetError(_("CSV 文件格式有误，无法读取；请在 Excel 中打开后另存为 CSV 再上传")) from exc

        return SheetStream(name=filename, kind=kind, rows=csv_rows(), total_rows=total)
    if kind == "xlsx":
        ref = find_formula(data)
        if ref:
            raise SheetError(
                _("文件含有公式（如 %(cell)s 单元格）。请全选后复制，再“选择性粘贴 → 数值”，保存后重新上传")
                % {"cell": ref}
            )
    workbook = _open_workbook(data)
    try:
        sheet = workbook.get_sheet_by_index(0)
        end = sheet.end
        start = sheet.start
        merged = list(sheet.merged_cell_ranges or [])
    except Exception as exc:
        raise _calamine_error(exc) from exc
    if end is None or start is None:
        raise SheetError(_("工作表是空的，没有任何数据"))
    if end[0] + 1 > MAX_ROWS + 50:
        raise SheetError(_("工作表超过 %(rows)s 行，请分成几个文件上传") % {"rows": f"{MAX_ROWS:,}"})
    if end[1] + 1 > MAX_COLUMNS:
        raise SheetError(_("工作表超过 %(columns)s 列，请删除多余的列") % {"columns": MAX_COLUMNS})

    def sheet_rows() -> Iterator[tuple[int, list[Any]]]:
        offset = [""] * start[1]
        fills: dict[tuple[int, int], Any] = {}
        vertical = [m for m in merged if m[1][0] > m[0][0]]
        try:
            for i, raw in enumerate(sheet.iter_rows()):
                row = offset + list(raw) if offset else list(raw)
                if vertical:
                    for (r0, c0), (r1, c1) in vertical:
                        if r0 == i:
                            for c in range(c0, c1 + 1):
                                fills[(r1, c)] = row[c0] if c0 < len(row) else ""
                        elif r0 < i <= r1:
                            for c in range(c0, c1 + 1):
                                if c < len(row) and row[c] in ("", None):
                                    row[c] = fills.get((r1, c), "")
                refuse_control_characters(i, row)
                yield i, row
        except SheetError:
            raise
        except Exception as exc:
            raise _calamine_error(exc) from exc

    return SheetStream(name=workbook.sheet_names[0], kind=kind, rows=sheet_rows(), total_rows=end[0] + 1, merged=merged)


def normalize_text(value: Any) -> str:
    """Full-width letters, digits and brackets to half-width (NFKC), trimmed."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def normalize_header(value: Any) -> str:
    """A header as people write it: 身份证号码*、（必填）、spaces and line breaks removed."""
    text = normalize_text(value)
    text = re.sub(r"\((必填|选填|可选|必须填写)\)|[*＊\s:：]", "", text)
    return text


FOOTER_PREFIXES = (
    "合计",
    "总计",
    "小计",
    "共计",
    "填表人",
    "填报人",
    "审核人",
    "制表人",
    "负责人",
    "单位负责人",
    "填表日期",
    "填报日期",
    "制表日期",
    "联系人",
    "注:",
    "注：",
    "说明",
    "备注:",
)


def is_blank(row: list[Any]) -> bool:
    """Every cell None, empty or spaces (a loop: cheaper than all() over a generator)."""
    for v in row:
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        return False
    return True


# First characters of the footer prefixes: a cell starting with anything else that NFKC leaves
# alone (ASCII, a unified CJK ideograph) cannot start a footer, and most rows are decided here.
_FOOTER_FIRST = frozenset(p[0] for p in FOOTER_PREFIXES)


def is_footer(row: list[Any]) -> bool:
    """合计… / 填表人… / 审核人… rows below the table, recognised by their first filled cell."""
    for value in row:
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if type(value) is str:
            first = value.lstrip()[0]
            if (first.isascii() or "\u4e00" <= first <= "\u9fff") and first not in _FOOTER_FIRST:
                return False
        elif isinstance(value, int | float):
            return False
        text = re.sub(r"\s", "", normalize_text(value))
        return text.startswith(FOOTER_PREFIXES)
    return False


@dataclass
class Header:
    index: int  # 0-based row index
    columns: dict[int, str]  # column index → field key
    labels: dict[int, str]  # column index → the header as written
    ignored: list[str]  # headers we do not know


def locate_header(
    rows: list[tuple[int, list[Any]]], known: Callable[[str], str | None], *, required: tuple[str, ...] = ()
) -> Header | None:
    """The header row among the first rows (title and note rows may sit above it): the row whose
    cells name the most known columns, at least two."""
    best: Header | None = None
    best_score = 1
    for index, row in rows[:HEADER_SEARCH_ROWS]:
        columns: dict[int, str] = {}
        labels: dict[int, str] = {}
        ignored: list[str] = []
        for c, value in enumerate(row):
            label = normalize_header(value)
            if not label:
                continue
            key = known(label)
            if key and key not in columns.values():
                columns[c] = key
                labels[c] = str(value).strip()
            else:
                ignored.append(str(value).strip())
        score = len(columns)
        if score > best_score and all(k in columns.values() for k in required):
            best, best_score = Header(index, columns, labels, ignored), score
    return best
