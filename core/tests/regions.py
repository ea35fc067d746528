"""A region-import spreadsheet for tests, and the rows the import tests refuse and accept."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from core.spreadsheets import write_xlsx

# Imported by district_a (鄞州): rows 4–9 as Excel shows them are refused, each for its own reason.
BAD_ROWS = [
    ["330212101001", "洞桥社区", "330212101", "社区"],
    ["330212101001001", "洞桥一网格", "330212101001", "网格"],
    ["330203001009", "越界社区", "330203001", "社区"],
    ["", "无代码", "330212", "镇街"],
    ["330212777", "新街道", "330212", "居委会"],
    ["330212101001", "重复", "330212101", "社区"],
    ["330212001", "中河街道", "330212", "镇街"],
    ["330212888", "孤儿", "999999", "镇街"],
]
GOOD_ROWS = [
    ["330212101001001", "洞桥一网格", "330212101001", "网格"],  # parent comes later in the file
    ["330212101001", "洞桥社区", "330212101", "社区"],
    ["330212001", "中河街道（新）", "330212", "镇街"],
]


def region_upload(rows: list[list[Any]], *, update: bool = False, name: str = "regions.xlsx") -> dict[str, Any]:
    """The POST data of the region-import form with ``rows`` under the usual header."""
    content = write_xlsx(["区划代码", "名称", "上级代码", "类型"], rows, text_columns=[0, 2])
    data: dict[str, Any] = {"file": SimpleUploadedFile(name, content)}
    if update:
        data["update_existing"] = "on"
    return data
