"""Headers as districts write them, trades and skills, and the columns a clerk maps by hand.
Real .xlsx files written by openpyxl."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from census import services
from census.importer import COLUMNS, IGNORE, header_key, known_column, validate_file
from census.models import ColumnMapping, ImportBatch
from census.sheets import template_xlsx
from core.errors import DomainError
from core.models import AuditEntry
from core.sheetreader import normalize_header
from people.models import Person, Skill, Trade
from tests.cast import WORKER_A_ID

from .helpers import make_id, xlsx

pytestmark = pytest.mark.django_db

ID1 = make_id("330212", "19650312", "005")
ID2 = make_id("330212", "19700101", "024")


def workbook(header: list[str], *rows: list[Any]) -> bytes:
    """A district's sheet: a title row merged across, then the header and the rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["2026年鄞州区劳模工匠普查表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("荣誉称号（授予年份）", "honours"),
        ("荣誉称号(授予年份)", "honours"),
        ("荣誉称号及授予年份", "honours"),
        ("【荣誉称号】", "honours"),
        ("区县（市）", "district"),
        ("职务 / 岗位", "post"),
        ("身份证号码（必填）*", "id_number"),
        ("工种/专业特长", "skills"),
        ("工种／专业特长", "skills"),
        ("工种（专业特长）", "skills"),
        ("职业技能等级", "grade"),
        ("技术专长", "specialties"),
        ("出生年月", "birth_date"),
        ("参加工作时间", None),
        ("家庭成员", None),
    ],
)
def test_header_variants_are_recognised(written: str, key: str | None) -> None:
    assert known_column(normalize_header(written)) == key


def test_every_built_in_variant_names_one_field() -> None:
    seen: dict[str, str] = {}
    for key, (_label, variants) in COLUMNS.items():
        for variant in variants:
            assert seen.setdefault(header_key(variant), key) == key, variant


def test_honours_under_a_qualified_header_are_imported_not_dropped(cast: Any) -> None:
    data = workbook(
        ["姓名", "身份证号码", "区县（市）", "荣誉称号（授予年份）"],
        ["王小明", ID1, "鄞州", "全国劳动模范（2015）；浙江省劳动模范（2010）"],
    )
    v = validate_file(data, "鄞州.xlsx", actor=cast.city)
    assert ([e.problem for e in v.errors], v.notices, v.unmapped) == ([], [], [])
    services.commit_import(actor=cast.city, validation=v)
    person = Person.objects.get(id_last4=ID1[-4:])
    assert list(person.honours.values_list("title__name", "year").order_by("-year")) == [
        ("全国劳动模范", 2015),
        ("浙江省劳动模范", 2010),
    ]
    assert person.top_level == "national"


def test_trades_and_skills_are_imported_for_new_and_known_people(cast: Any) -> None:
    welder, electrician = Trade.objects.get(name="焊工"), Trade.objects.get(name="电工")
    Skill.objects.create(person=cast.person_a, trade=electrician, grade="4", specialties="配电")
    data = workbook(
        ["姓名", "身份证号码", "区县（市）", "工种/专业特长", "技能等级"],
        ["王小明", ID1, "鄞州", "焊工（高级技师）：氩弧焊、管道焊接；电工", ""],
        ["李红", ID2, "鄞州", "焊工", "技师"],
        ["万亚勇", WORKER_A_ID, "鄞州", "电工：配电、PLC编程", "高级工"],
    )
    v = validate_file(data, "鄞州.xlsx", actor=cast.city)
    assert [e.problem for e in v.errors] == []
    assert v.counts() == {"created": 2, "updated": 1, "unchanged": 0}
    [update] = [p for p in v.plans if p.kind == "updated"]
    assert update.changes == {"工种/专业特长": ["电工 中级工：配电", "电工 高级工：配电、PLC编程"]}
    services.commit_import(actor=cast.city, validation=v)

    def skills(person: Person) -> list[tuple[str, str, str]]:
        return list(person.skills.order_by("trade__sort").values_list("trade__name", "grade", "specialties"))

    wang = Person.objects.get(id_last4=ID1[-4:])
    assert skills(wang) == [("电工", "", ""), ("焊工", "1", "氩弧焊、管道焊接")]
    assert skills(Person.objects.get(id_last4=ID2[-4:])) == [("焊工", "2", "")]
    assert skills(cast.person_a) == [("电工", "3", "配电、PLC编程")]
    created = AuditEntry.objects.get(action="people.person.created", object_id=str(wang.pk))
    assert created.changes["skill"] == [None, "焊工 高级技师；电工 "]
    assert welder.pk in set(Skill.objects.values_list("trade_id", flat=True))


@pytest.mark.parametrize(
    ("cells", "column", "problem"),
    [
        (["焊接工", ""], "工种/专业特长", "工种“焊接工”不在工种目录中"),
        (["焊工（大师）", ""], "工种/专业特长", "无法识别的技能等级“大师”"),
        (["焊工；电工", "技师"], "技能等级", "有多个工种，不知道技能等级属于哪一个"),
        (["", "技师"], "技能等级", "填写了技能等级，但没有填写工种"),
    ],
)
def test_skills_the_importer_cannot_place_are_refused(cast: Any, cells: list[str], column: str, problem: str) -> None:
    data = workbook(["姓名", "身份证号", "区县", "工种/专业特长", "技能等级"], ["王小明", ID1, "鄞州", *cells])
    v = validate_file(data, "a.xlsx", actor=cast.city)
    assert [(e.row, e.column, e.problem) for e in v.errors] == [(3, column, problem)]


def test_an_unknown_column_waits_for_the_clerk_and_the_choice_is_remembered(cast: Any, client_for: Any) -> None:
    clerk = client_for("district_a")
    header = ["姓名", "身份证号", "区县", "个人简介", "家庭成员"]
    first = workbook(header, ["王小明", ID1, "鄞州", "焊接技术革新能手", "妻 女"])
    response = clerk.post(reverse("census:imports"), {"file": _upload(first, "一月.xlsx")})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == ImportBatch.Status.REFUSED
    assert [(u["header"], u["col"]) for u in batch.report["unmapped"]] == [("个人简介", 3), ("家庭成员", 4)]
    assert [e["problem"] for e in batch.report["errors"]] == [
        "无法识别“个人简介”列，不知道应导入到哪个字段",
        "无法识别“家庭成员”列，不知道应导入到哪个字段",
    ]
    page = clerk.get(reverse("census:import_detail", args=[batch.pk])).content.decode()
    assert 'id="import-columns"' in page and "个人简介" in page
    assert Person.objects.filter(id_last4=ID1[-4:]).count() == 0

    # Choosing nothing for one column is refused; then 个人简介 → 备注, 家庭成员 ignored.
    clerk.post(reverse("census:import_columns", args=[batch.pk]), {"col0": "notes"})
    assert ColumnMapping.objects.count() == 0
    clerk.post(reverse("census:import_columns", args=[batch.pk]), {"col0": "notes", "col1": "ignore"})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY
    assert batch.report["notices"] == [
        "以下列已按本区县的设置忽略：家庭成员",
        "“个人简介”列已按本区县的设置作为“备注”导入",
    ]
    assert set(ColumnMapping.objects.values_list("region__name", "header", "field")) == {
        ("鄞州区", "个人简介", "notes"),
        ("鄞州区", "家庭成员", IGNORE),
    }
    clerk.post(reverse("census:import_commit", args=[batch.pk]))
    assert Person.objects.get(id_last4=ID1[-4:]).notes == "焊接技术革新能手"

    # The district's next file with the same columns goes through without asking.
    second = workbook(
        ["姓名", "身份证号", "区县", "个人简介（限50字）", "家庭成员"], ["李红", ID2, "鄞州", "质检", "无"]
    )
    clerk.post(reverse("census:imports"), {"file": _upload(second, "二月.xlsx")})
    latest = ImportBatch.objects.order_by("-pk").first()
    assert latest is not None and latest.status == ImportBatch.Status.READY
    assert latest.report["unmapped"] == []


def test_a_mapping_may_not_name_a_column_the_file_already_has(cast: Any) -> None:
    data = xlsx([["姓名", "身份证号", "区县", "备注", "说明文字"], ["王小明", ID1, "鄞州", "a", "b"]])
    batch = services.store_upload(actor=cast.district_a, data=data, filename="a.xlsx")
    services.validate_batch(actor=cast.district_a, batch=batch)
    with pytest.raises(DomainError, match="文件中已有“备注”列，“说明文字”列不能再作为“备注”导入"):
        services.map_columns(actor=cast.district_a, batch=batch, choices={"说明文字": "notes"})
    assert ColumnMapping.objects.count() == 0


def _upload(content: bytes, name: str) -> Any:

    return SimpleUploadedFile(name, content)


def test_the_template_has_the_skills_column_and_imports_it(cast: Any) -> None:

    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    ws = wb["人员信息"]
    headers = [c.value for c in ws[1]]
    assert headers[15:] == ["荣誉称号", "工种/专业特长", "备注"]
    row: list[Any] = [None] * len(headers)
    row[:2], row[7], row[16] = ["王小明", ID1], "鄞州", "焊工（技师）：氩弧焊"
    ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    v = validate_file(buffer.getvalue(), "t.xlsx", actor=cast.city)
    assert [e.problem for e in v.errors] == []
    assert v.plans[0].skills == ((Trade.objects.get(name="焊工").pk, "2", "氩弧焊"),)


def test_within_a_campaign_a_skill_waits_for_review_then_reaches_the_registry(cast: Any) -> None:
    campaign = services.open_campaign(actor=cast.city, year=2026)
    data = workbook(
        ["姓名", "身份证号", "区县", "工种/专业特长"], ["万亚勇", WORKER_A_ID, "鄞州", "焊工（技师）：氩弧焊"]
    )
    v = validate_file(data, "a.xlsx", actor=cast.city, campaign=campaign)
    assert services.commit_import(actor=cast.city, validation=v, campaign=campaign)["proposals"] == 1
    assert not cast.person_a.skills.exists()  # nothing reaches the registry before review
    proposal = campaign.records.get(person=cast.person_a).proposals.get()
    [change] = proposal.changes.all()
    assert (change.field, change.label, change.before, change.after) == (
        "skills",
        "工种/专业特长",
        "",
        "焊工 技师：氩弧焊",
    )
    services.review_proposal(actor=cast.city, proposal=proposal, decisions={change.pk: True})
    assert list(cast.person_a.skills.values_list("trade__name", "grade", "specialties")) == [("焊工", "2", "氩弧焊")]
