from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import openpyxl
import pytest

from census import services
from census.importer import IGNORE, validate_file
from census.sheets import error_copy_xlsx, template_xlsx
from core import crypto
from core.models import AuditEntry
from people import services as people_services
from people.models import Honour, HonourTitle, Person, PersonNameToken
from tests.cast import WORKER_A_ID, WORKER_B_ID

from .helpers import HEADER, make_id, xls, xlsx

ID1 = make_id("330212", "19650312", "005")  # male
ID2 = make_id("330203", "19700101", "024")  # female


IGNORE_OTHER = {"其他": IGNORE}  # the district chose to ignore its 其他 column


def messy_workbook() -> bytes:
    rows: list[list[Any]] = [
        ["2026年鄞州区劳模工匠普查表"],
        ["填表说明：带*为必填，一人一行"],
        [],
        ["序号", "姓 名*", "公民身份号码", "性别", "出生年月", "所在区县", "联系电话", "荣誉称号", "状态", "其他"],
        [
            1,
            " 王  小明 ",
            ID1.lower().replace("3", "３", 1),
            "M",
            "1965.3",
            "鄞州",
            "+86 138-0574-0009",
            "全国劳动模范（2015）；浙江省劳动模范（2010）",
            "在职",
            "x",
        ],
        [2, "李红", ID2, "女", "1970年1月1日", "海曙区", "139 0574 0010", "宁波市劳模(2012)", "退休", ""],
        [3, "万亚勇", WORKER_A_ID, "男", dt.datetime(1965, 3, 12), None, "13805740001", "", "在职", ""],
        [],
        ["合计：3人"],
        ["填表人：张三", None, "审核人：李四"],
    ]
    return xlsx(rows, merges=["A1:J1"])


def test_messy_but_correct_file_is_read_as_meant(cast: Any) -> None:
    v = validate_file(messy_workbook(), "鄞州.xlsx", actor=cast.city, mappings=IGNORE_OTHER)
    assert [e.problem for e in v.errors] == []
    assert v.header_row == 4
    assert v.counts() == {"created": 2, "updated": 0, "unchanged": 1}
    assert v.notices == [
        "以下列无需导入，已忽略：序号",
        "以下列已按本区县的设置忽略：其他",
        "已跳过 2 行表尾（合计、填表人、审核人等）",
    ]
    services.commit_import(actor=cast.city, validation=v)
    wang = Person.objects.get(id_last4=ID1[-4:])
    assert (wang.name, wang.gender, wang.birth_date, wang.mobile, wang.district.name) == (
        "王小明",
        "M",
        dt.date(1965, 3, 12),
        "13805740009",
        "鄞州区",
    )
    assert (wang.name_pinyin, wang.name_initials, wang.top_level, wang.id_number_masked) == (
        "wangxiaoming",
        "wxm",
        "national",
        ID1[:4] + "**********" + ID1[-4:],
    )
    assert sorted(PersonNameToken.objects.filter(person=wang).values_list("token", flat=True)) == [
        "小明",
        "王小",
        "王明",
    ]
    assert sorted((h.title.name, h.year) for h in Honour.objects.filter(person=wang)) == [
        ("全国劳动模范", 2015),
        ("浙江省劳动模范", 2010),
    ]
    li = Person.objects.get(id_last4=ID2[-4:])
    assert (li.status, li.top_level, li.district.name) == ("retired", "city", "海曙区")
    assert AuditEntry.objects.filter(action="people.person.created", object_id=str(wang.pk)).count() == 1
    assert AuditEntry.objects.filter(action="census.import.committed").count() == 1


def test_reimporting_the_same_file_changes_nothing(cast: Any) -> None:
    data = messy_workbook()
    services.commit_import(
        actor=cast.city, validation=validate_file(data, "a.xlsx", actor=cast.city, mappings=IGNORE_OTHER)
    )
    entries = AuditEntry.objects.count()
    again = validate_file(data, "a.xlsx", actor=cast.city, mappings=IGNORE_OTHER)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 3}
    services.commit_import(actor=cast.city, validation=again)
    assert AuditEntry.objects.count() == entries + 1  # only the import's own summary entry
    assert Person.objects.count() == 4


def test_update_preview_shows_field_differences_and_commit_applies_them(cast: Any) -> None:
    data = xlsx([HEADER, ["万亚勇", WORKER_A_ID, "鄞州", "13805749999", "宁波市劳动模范（2018）", "退休"]])
    v = validate_file(data, "a.xlsx", actor=cast.district_a)
    assert v.counts() == {"created": 0, "updated": 1, "unchanged": 0}
    assert v.report()["diffs"] == [
        {
            "row": 2,
            "person_id": cast.person_a.pk,
            "name": "万亚勇",
            "changes": {
                "状态": ["在职", "退休"],
                "手机号": ["13805740001", "13805749999"],
                "荣誉称号": [None, "宁波市劳动模范（2018）"],
            },
        }
    ]
    services.commit_import(actor=cast.district_a, validation=v)
    cast.person_a.refresh_from_db()
    assert (cast.person_a.mobile, cast.person_a.status, cast.person_a.top_level) == ("13805749999", "retired", "city")
    assert AuditEntry.objects.filter(action="people.person.updated", object_id=str(cast.person_a.pk)).count() == 1


@pytest.mark.parametrize(
    ("cells", "column", "problem"),
    [
        (["张三", "330212196503120014", "鄞州"], "身份证号", "身份证号校验位不对，号码有误"),
        (["张三", "33021219650312001", "鄞州"], "身份证号", "身份证号应为18位，这里是17位"),
        (["张三", 3.30212196503120e17, "鄞州"], "身份证号", "身份证号被存成了数字，末几位已丢失，无法修复"),
        (["张三", "3.30212E+17", "鄞州"], "身份证号", "身份证号 3.302**E+17 是科学计数法，末几位已丢失，无法修复"),
        (["", ID1, "鄞州"], "姓名", "姓名为空"),
        (["张三", ID1, "杭州"], "区县(市)", "区县“杭州”不存在"),
        (["张三", ID1, "鄞州", "1380574"], "手机号", "“1380574”不是有效的手机号"),
        (["张三", ID1, "鄞州", "", "全国劳模范（2015）"], "荣誉称号", "荣誉称号“全国劳模范”不在目录中"),
        (["张三", ID1, "鄞州", "", "全国劳动模范"], "荣誉称号", "荣誉“全国劳动模范”没有写获得年份"),
        (["张三", ID1, "鄞州", "", "", "出差"], "状态", "无法识别的状态“出差”"),
        (["张三", ID1, ""], "区县(市)", "新登记的人员必须填写区县(市)"),
    ],
)
def test_each_refusal_has_its_own_message(cast: Any, cells: list[Any], column: str, problem: str) -> None:
    v = validate_file(xlsx([HEADER, cells]), "a.xlsx", actor=cast.city)
    assert [(e.row, e.column, e.problem) for e in v.errors] == [(2, column, problem)]
    assert v.refused


def test_dates_impossible_or_disagreeing_with_the_id_are_refused(cast: Any) -> None:
    data = xlsx(
        [
            ["姓名", "身份证号", "区县", "出生日期"],
            ["甲", ID1, "鄞州", "1965-02-30"],
            ["乙", ID2, "海曙", "1971-01-01"],
            ["丙", make_id("330212", "19800101", "011"), "鄞州", "19800101"],
        ]
    )
    v = validate_file(data, "a.xlsx", actor=cast.city)
    assert [(e.row, e.problem) for e in v.errors] == [
        (2, "日期“1965-02-30”不存在"),
        (3, "出生日期与身份证号中的 1970-01-01 不一致"),
    ]


def test_nearest_honour_title_is_suggested(cast: Any) -> None:
    v = validate_file(xlsx([HEADER, ["张三", ID1, "鄞州", "", "浙江省劳动模（2010）"]]), "a.xlsx", actor=cast.city)
    assert v.errors[0].hint.startswith("是不是“浙江省劳动模范”？")


def test_same_id_twice_with_different_facts_is_refused_identical_rows_merge(cast: Any) -> None:
    data = xlsx([HEADER, ["张三", ID1, "鄞州"], ["张三", ID1, "鄞州"], ["张山", ID1, "鄞州"]])
    v = validate_file(data, "a.xlsx", actor=cast.city)
    assert [(e.row, e.problem) for e in v.errors] == [(4, "同一身份证号在第 2 行已出现，但两行内容不同")]
    assert "有 1 行与前面的行完全相同，已按一行处理" in v.notices


def test_district_staff_cannot_touch_people_outside_their_district(cast: Any) -> None:
    data = xlsx([HEADER, ["单秀英", WORKER_B_ID, "海曙"], ["张三", ID1, "海曙"], ["李四", ID2, "鄞州"]])
    v = validate_file(data, "a.xlsx", actor=cast.district_a)
    assert [(e.row, e.problem) for e in v.errors] == [
        (2, "该人员属于海曙区，不在您的管辖范围内，不能导入或修改"),
        (3, "该人员属于海曙区，不在您的管辖范围内，不能导入或修改"),
    ]
    with pytest.raises(Exception, match="文件有错误"):
        services.commit_import(actor=cast.district_a, validation=v)
    assert Person.objects.count() == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_excel_writes(cast: Any, encoding: str) -> None:
    # 䶮 (U+4DAE) is outside GBK: only a real GB18030 decoder reads it.
    text = f"姓名,身份证号,区县,手机\r\n刘䶮,{ID1},鄞州,13805740009\r\n"
    data = text.encode(encoding)
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    v = validate_file(data, "a.csv", actor=cast.city)
    assert v.counts() == {"created": 1, "updated": 0, "unchanged": 0}
    assert v.plans[0].fields["name"] == "刘䶮"
    services.commit_import(actor=cast.city, validation=v)
    person = Person.objects.get(id_last4=ID1[-4:])
    assert (person.name, person.name_pinyin, person.mobile, person.district.name) == (
        "刘䶮",
        "liuyan",
        "13805740009",
        "鄞州区",
    )


def test_xls_from_excel_97_2003_imports_end_to_end(cast: Any) -> None:
    """A real .xls (BIFF8, written by xlwt): a merged title, a note row, IDs as text cells, a date
    cell, a district merged down over two rows, a footer."""
    data = xls(
        [
            ["2026年海曙区劳模工匠普查表"],
            ["填表单位：海曙区总工会"],
            ["序号", "姓名", "身份证号码", "性别", "出生日期", "所在区县", "荣誉称号"],
            [1, "李 红", ID2, "女", dt.date(1970, 1, 1), "海曙", "宁波市劳动模范（2012）"],
            [2, "王小明", ID1.lower(), "男", "1965.3", None, ""],
            [3, "万亚勇", WORKER_A_ID, "男", dt.date(1965, 3, 12), None, None],
            ["合计：3人"],
        ],
        merges=[(0, 0, 0, 6), (3, 4, 5, 5)],
    )
    v = validate_file(data, "海曙.xls", actor=cast.city)
    assert [e.problem for e in v.errors] == []
    assert v.header_row == 3
    assert v.counts() == {"created": 2, "updated": 0, "unchanged": 1}
    assert v.notices == ["以下列无需导入，已忽略：序号", "已跳过 1 行表尾（合计、填表人、审核人等）"]
    assert services.commit_import(actor=cast.city, validation=v) == {
        "created": 2,
        "updated": 0,
        "unchanged": 1,
        "proposals": 0,
    }
    li = Person.objects.get(id_last4=ID2[-4:])
    assert (li.name, li.gender, li.birth_date, li.district.name, li.top_level) == (
        "李红",
        "F",
        dt.date(1970, 1, 1),
        "海曙区",
        "city",
    )
    wang = Person.objects.get(id_last4=ID1[-4:])
    assert (wang.name, wang.birth_date, wang.district.name, wang.top_level) == (
        "王小明",
        dt.date(1965, 3, 12),
        "海曙区",
        "",
    )
    assert Person.objects.count() == 4
    again = validate_file(data, "海曙.xls", actor=cast.city)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 3}


def test_xls_numeric_id_and_wrong_birth_date_are_refused(cast: Any) -> None:
    data = xls(
        [
            ["姓名", "身份证号", "区县", "出生日期"],
            ["张三", 330212196503120000.0, "鄞州", None],
            ["李红", ID2, "海曙", dt.date(1971, 1, 1)],
        ]
    )
    v = validate_file(data, "a.xls", actor=cast.city)
    assert [(e.row, e.column, e.problem) for e in v.errors] == [
        (2, "身份证号", "身份证号被存成了数字，末几位已丢失，无法修复"),
        (3, "出生日期", "出生日期与身份证号中的 1970-01-01 不一致"),
    ]


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<x/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "problem"),
    [
        (b"", "a.xlsx", "文件是空的"),
        (b"hello, this is text", "a.xlsx", "文件不是有效的 Excel（.xlsx）文件，可能是扩展名被改过"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "a.xlsx",
            "文件设置了密码保护，无法读取。请在 Excel 中取消密码后再上传",
        ),
        (b"%PDF-1.4", "a.pdf", "只支持 .xlsx、.xls 和 .csv 文件"),
        (b"PK\x03\x04junk", "a.xlsx", "文件已损坏，无法作为 Excel 文件打开"),
        ("zip", "a.csv", "文件扩展名是 .csv，但内容是 Excel 工作簿：请把扩展名改回 .xlsx 或 .xls"),
    ],
)
def test_hostile_files_are_refused_clearly(cast: Any, data: Any, name: str, problem: str) -> None:
    if data == "zip":
        data = xlsx([HEADER])
    v = validate_file(data, name, actor=cast.city)
    assert [(e.row, e.problem) for e in v.errors] == [(0, problem)]


def test_zip_bomb_is_refused(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("core.sheetreader.MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    v = validate_file(_zip_bomb(), "a.xlsx", actor=cast.city)
    assert [e.problem for e in v.errors] == ["文件解压后过大，拒绝读取（可能是恶意文件）"]


def test_formulas_long_cells_and_empty_sheets_are_refused(cast: Any) -> None:
    v = validate_file(xlsx([HEADER, ["张三", ID1, "鄞州", "=1+2"]]), "a.xlsx", actor=cast.city)
    assert [e.problem for e in v.errors] == [
        "文件含有公式（如 D2 单元格）。请全选后复制，再“选择性粘贴 → 数值”，保存后重新上传"
    ]
    v = validate_file(xlsx([HEADER, ["张三", ID1, "鄞州", "", "", "", "x" * 10000]]), "a.xlsx", actor=cast.city)
    assert [e.problem for e in v.errors] == []  # the long cell is in an ignored column
    v = validate_file(xlsx([HEADER, ["张三" * 5000, ID1, "鄞州"]]), "a.xlsx", actor=cast.city)
    assert [(e.row, e.problem) for e in v.errors] == [(2, "单元格内容过长（10,000 字）")]
    v = validate_file(xlsx([]), "a.xlsx", actor=cast.city)
    assert [e.problem for e in v.errors] == ["工作表是空的，没有任何数据"]
    v = validate_file(xlsx([HEADER]), "a.xlsx", actor=cast.city)
    assert [e.problem for e in v.errors] == ["表格中没有任何人员数据"]
    v = validate_file(xlsx([["a", "b"], [1, 2]]), "a.xlsx", actor=cast.city)
    assert [e.problem for e in v.errors] == ["找不到表头：表格中必须有“姓名”和“身份证号”两列"]


def test_error_copy_marks_the_bad_cells_with_comments(cast: Any) -> None:
    data = xlsx([["标题"], HEADER, ["张三", "330212196503120014", "杭州"]])
    v = validate_file(data, "a.xlsx", actor=cast.city)
    copy = error_copy_xlsx(data, "a.xlsx", v.report()["errors"])
    ws = openpyxl.load_workbook(io.BytesIO(copy)).worksheets[0]
    assert ws["B3"].fill.fgColor.rgb == "00FFC7CE"
    assert ws["B3"].comment.text == "身份证号校验位不对，号码有误。请逐位核对号码；常见原因是抄错了一位数字"
    assert ws["C3"].comment.text.startswith("区县“杭州”不存在")
    assert ws["A3"].comment is None
    assert ws["A1"].value == "标题"


def test_template_has_lists_text_id_column_and_instructions(cast: Any) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    ws = wb["人员信息"]
    assert [c.value for c in ws[1]][:4] == ["姓名*", "身份证号*", "性别", "出生日期"]
    assert ws["B2"].number_format == "@"
    formulas = sorted(dv.formula1 for dv in ws.data_validations.dataValidation)
    assert formulas == ["=选项!$A$1:$A$14", "=选项!$B$1:$B$14", "=选项!$C$1:$C$4", "=选项!$D$1:$D$2"]
    assert wb["选项"]["A5"].value == "鄞州"
    assert wb["填写说明"]["A1"].value == "劳模工匠信息导入模板 · 填写说明"
    # The template, filled in, imports as it is.
    ws.append(["王小明", ID1, "男", "1965-03-12", "汉族", "群众", "大专", "鄞州", "中河街道", "某公司", "", "在职"])
    buf = io.BytesIO()
    wb.save(buf)
    v = validate_file(buf.getvalue(), "t.xlsx", actor=cast.city)
    assert v.counts() == {"created": 1, "updated": 0, "unchanged": 0}
    assert v.plans[0].fields["ethnicity"] == "汉族"


def test_bulk_registration_writes_what_create_person_writes(cast: Any) -> None:
    """The import registers new people in bulk (COPY / executemany, no model instances); the
    rows, tokens, honours and audit entries must be those of people.services.create_person +
    add_honour for the same facts."""
    header = ["姓名", "身份证号", "区县", "镇街", "手机号", "工作单位", "民族", "地址", "荣誉称号", "状态"]
    facts = [
        "鄞州",
        "钟公庙街道",
        "13805740009",
        "宁波港集团",
        "汉",
        "鄞州区天童南路 588 号 13805740009 转",
        "浙江工匠（2019）",
        "退休",
    ]
    v = validate_file(xlsx([header, ["王小明", ID1, *facts]]), "a.xlsx", actor=cast.city)
    assert [e.problem for e in v.errors] == []
    services.commit_import(actor=cast.city, validation=v)
    imported = Person.objects.get(id_last4=ID1[-4:])
    by_service = people_services.create_person(
        actor=cast.city,
        region=imported.region,
        name="王小明",
        id_number=make_id("330203", "19650312", "007"),
        mobile="13805740009",
        employer="宁波港集团",
        ethnicity="汉族",
        address="鄞州区天童南路 588 号 13805740009 转",
        status="retired",
        honours=[(HonourTitle.objects.get(name="浙江工匠"), 2019)],
    )
    by_service.refresh_from_db()
    skip = {"id", "id_number_encrypted", "id_number_hash", "id_number_masked", "id_last4", "created", "updated"}
    fields = [f.attname for f in Person._meta.concrete_fields if f.attname not in skip]
    assert {f: getattr(imported, f) for f in fields} == {f: getattr(by_service, f) for f in fields}
    assert imported.region.name == "钟公庙街道" and imported.district.name == "鄞州区"
    assert crypto.decrypt(imported.id_number_encrypted) == ID1
    assert imported.id_number_hash == crypto.keyed_hash(ID1)
    assert imported.id_number_masked == ID1[:4] + "**********" + ID1[-4:]
    assert sorted(PersonNameToken.objects.filter(person=imported).values_list("token", flat=True)) == sorted(
        PersonNameToken.objects.filter(person=by_service).values_list("token", flat=True)
    )
    assert list(Honour.objects.filter(person=imported).values_list("title__name", "year", "awarding_body")) == list(
        Honour.objects.filter(person=by_service).values_list("title__name", "year", "awarding_body")
    )

    def entries(person: Person) -> list[tuple[str, str, Any]]:
        rows = AuditEntry.objects.filter(object_type="people.person", object_id=str(person.pk)).order_by("id")
        return [(e.action, e.actor_name, e.changes) for e in rows]

    # One entry per registered person, honours included (an import of 100,000 people writes
    # 100,000 entries, not 200,000).
    [created] = entries(imported)
    assert created == (
        "people.person.created",
        "city",
        {
            "name": [None, "王小明"],
            "gender": [None, "M"],
            "ethnicity": [None, "汉族"],
            "birth_date": [None, "1965-03-12"],
            "employer": [None, "宁波港集团"],
            "status": [None, "retired"],
            "mobile": [None, "138****0009"],
            "address": [None, "鄞州区天童南路 588 号 138****0009 转"],
            "region": [None, "钟公庙街道"],
            "id_number": [None, ID1[:4] + "**********" + ID1[-4:]],
            "honour": [None, "浙江工匠（2019）"],
        },
    )
    [expected_created] = entries(by_service)
    masked_other = by_service.id_number_masked
    assert created[2] | {"id_number": [None, masked_other]} == expected_created[2]
