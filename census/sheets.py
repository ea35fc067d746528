"""Spreadsheets the census hands out: the official template, the clerk's own file with the bad
cells marked, and the list of people still missing."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.models import Region, RegionKind
from core.sheetreader import SheetError, read_rows
from core.spreadsheets import HEADER_FILL, safe_text, write_xlsx
from people.models import HonourTitle

from .importer import COLUMNS

TEMPLATE_COLUMNS = [
    "name",
    "id_number",
    "gender",
    "birth_date",
    "ethnicity",
    "political_status",
    "education",
    "district",
    "street",
    "employer",
    "post",
    "status",
    "mobile",
    "landline",
    "address",
    "honours",
    "skills",
    "notes",
]
TEMPLATE_ROWS = 2000
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
STATUSES = ["在职", "退休", "去世", "迁出"]


def template_xlsx() -> bytes:
    """The official import template: instructions, drop-down lists (districts, honour titles,
    statuses, genders) and text-formatted ID and phone columns."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "人员信息"
    lists = wb.create_sheet("选项")
    notes = wb.create_sheet("填写说明")
    districts = [
        r.short_name or r.name
        for r in Region.objects.filter(kind__in=[RegionKind.DISTRICT, RegionKind.ZONE], active=True).order_by(
            "sort", "code"
        )
    ]
    titles = list(
        HonourTitle.objects.filter(active=True, for_collectives=False).order_by("sort").values_list("name", flat=True)
    )
    for list_index, values in enumerate([districts, titles, STATUSES, ["男", "女"]], start=1):
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=list_index, value=value)
    lists.sheet_state = "hidden"
    headers = [COLUMNS[k][0] for k in TEMPLATE_COLUMNS]
    for c, header in enumerate(headers, start=1):
        cell = ws.cell(
            row=1, column=c, value=header + ("*" if TEMPLATE_COLUMNS[c - 1] in {"name", "id_number"} else "")
        )
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = (
            22 if TEMPLATE_COLUMNS[c - 1] in {"id_number", "honours", "skills"} else 14
        )
    ws.freeze_panes = "A2"

    def col(key: str) -> str:
        return get_column_letter(TEMPLATE_COLUMNS.index(key) + 1)

    # Text format so Excel keeps all 18 digits (and leading zeros of phones).
    for key in ("id_number", "mobile", "landline"):
        letter = col(key)
        for r in range(2, TEMPLATE_ROWS + 2):
            ws[f"{letter}{r}"].number_format = "@"
    span = f"2:{TEMPLATE_ROWS + 1}"
    for key, list_col, count, allow_other in (
        ("district", "A", len(districts), False),
        ("honours", "B", len(titles), True),
        ("status", "C", len(STATUSES), False),
        ("gender", "D", 2, False),
    ):
        dv = DataValidation(type="list", formula1=f"=选项!${list_col}$1:${list_col}${max(count, 1)}", allow_blank=True)
        dv.showErrorMessage = not allow_other  # several honours in one cell are fine
        dv.error = "请从下拉列表中选择"
        dv.errorTitle = "输入有误"
        ws.add_data_validation(dv)
        a, b = span.split(":")
        dv.add(f"{col(key)}{a}:{col(key)}{b}")
    notes.column_dimensions["A"].width = 100
    for i, line in enumerate([*INSTRUCTIONS, "", "荣誉称号目录：", *titles], start=1):
        notes.cell(row=i, column=1, value=line)
    notes["A1"].font = Font(bold=True, size=14)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


INSTRUCTIONS = [
    "劳模工匠信息导入模板 · 填写说明",
    "1. 带 * 的列必须填写：姓名、身份证号。按身份证号识别人员，已登记的人员会更新，未登记的会新增。",
    "2. 身份证号列已设为“文本”格式，请直接填写18位号码，末位 x 大小写均可；"
    "不要改成数字格式，否则会变成 3.30203E+17 而无法导入。",
    "3. 出生日期可写 1965-03-12、1965年3月12日、19650312，或只写年月（1965.3）；"
    "与身份证号不一致的行会被拒绝。性别可留空，由身份证号识别。",
    "4. 区县(市)请从下拉列表选择，也可以写简称（如 鄞州）；新登记的人员必须填写。镇街可留空。",
    "5. 荣誉称号可以填多个，每个后面用括号写年份，用分号隔开，例如：全国劳动模范（2015）；浙江省劳动模范（2010）。",
    "6. 状态填 在职、退休、去世 或 迁出。手机号可带 +86、空格或短横线。",
    "7. 工种/专业特长：工种后用括号写技能等级，冒号后写专长，多个工种用分号隔开，"
    "例如：焊工（高级技师）：氩弧焊、管道焊接；电工。",
    "8. 不要使用公式；表格上方可以有标题行，下方的合计、填表人、审核人等行会自动跳过。",
    "9. 整个文件先校验后导入：只要有一行有错，就不会导入任何数据，系统会给出错误清单和标出错误单元格的文件。",
    "10. 模板以外的列：系统无法识别时，请在预览页为该列选择对应的字段或“忽略此列”，本区县以后上传时自动沿用。",
]


def error_copy_xlsx(content: bytes, filename: str, errors: list[dict[str, Any]]) -> bytes:
    """The clerk's own file with every refused cell filled red and a comment saying what is
    wrong and how to fix it. .xls and .csv files come back as .xlsx with the same cells."""
    wb = None
    if filename.lower().endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(content))
        except Exception:  # noqa: BLE001 - fall back to a plain copy of the values
            wb = None
    if wb is None:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        try:
            rows = read_rows(content, filename).rows
        except SheetError:
            rows = []
        for row in rows:
            ws.append([safe_text(v) if isinstance(v, str) else v for v in row])
    ws = wb.worksheets[0]
    by_cell: dict[tuple[int, int], list[str]] = {}
    for e in errors:
        if not e.get("row"):
            continue
        index: int = e.get("col") or 0
        by_cell.setdefault((e["row"], index + 1), []).append(f"{e['problem']}。{e['hint']}".strip("。"))
    for (row_number, column), texts in by_cell.items():
        cell = ws.cell(row=row_number, column=column)
        cell.fill = BAD_FILL
        comment = Comment("\n".join(texts), "劳模工匠平台")
        comment.width, comment.height = 300, 120
        cell.comment = comment
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def missing_xlsx(records: Any, title: str) -> bytes:
    headers = ["区县(市)", "镇街", "姓名", "身份证号", "手机号", "工作单位", "普查状态", "原因"]
    rows = (
        [
            r.district.name,
            r.street.name if r.street else "",
            r.person.name,
            r.person.id_number_masked,
            r.person.mobile,
            r.person.employer,
            r.get_state_display(),
            r.reason,
        ]
        for r in records
    )
    return write_xlsx(headers, rows, sheet_title="未完成名单", title=title, text_columns=[3, 4])
