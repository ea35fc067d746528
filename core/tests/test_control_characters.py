"""Control characters are refused where text comes in (forms, the API, spreadsheets) and dropped
where it goes out (exports), so one stray ``\\x01`` can no longer break every export."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from importlib import import_module
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from census.tests.helpers import xlsx
from core.extensions import app_modules
from core.forms import CleanTextMixin
from core.services import issue_api_token
from core.sheetreader import SheetError, open_sheet, read_rows
from core.spreadsheets import write_xlsx
from payments.xlsxstream import write_sheet
from people.models import Person
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _project_forms() -> list[type[forms.Form]]:
    found: list[type[forms.Form]] = []
    for config in apps.get_app_configs():
        if not config.path.startswith(str(apps.get_app_config("core").path).rsplit("/", 1)[0]):
            continue
        for module in (f"{config.name}.forms", f"{config.name}.system.forms"):
            try:
                import_module(module)
            except ModuleNotFoundError:
                continue

    local = {config.name.split(".")[0] for config, _module in app_modules("apps")}

    def walk(cls: type[forms.Form]) -> None:
        for sub in cls.__subclasses__():
            if sub.__module__.split(".")[0] in local:  # the project's own apps, not django_otp's
                found.append(sub)
            walk(sub)

    walk(forms.Form)
    return found


def test_every_form_of_the_project_refuses_control_characters() -> None:
    project_forms = _project_forms()
    assert len(project_forms) > 40
    assert [f.__qualname__ for f in project_forms if not issubclass(f, CleanTextMixin)] == []


def test_person_form_refuses_a_control_character_in_the_name(cast: Cast, client_for: Any) -> None:
    r = client_for("city").post(
        reverse("people:create"), {"name": "林\x01美华", "region": cast.region_a.pk, "status": "working"}
    )
    assert r.status_code == 200
    assert r.context["form"].errors["name"] == ["含有不可见的控制字符（U+0001），请删除后重新填写"]
    assert not Person.objects.filter(name__startswith="林").exists()


def test_multi_line_fields_take_line_breaks_but_not_other_controls(cast: Cast, client_for: Any) -> None:
    data = {
        "name": "林美华",
        "gender": "F",
        "region": cast.region_a.pk,
        "status": "working",
        "notes": "第一行\r\n第二行\t完",
    }
    r = client_for("city").post(reverse("people:create"), data)
    assert r.status_code == 302, r.context["form"].errors
    assert Person.objects.get(name="林美华").notes == "第一行\r\n第二行\t完"
    r = client_for("city").post(reverse("people:create"), {**data, "name": "林美", "notes": "a\x0bb"})
    assert r.context["form"].errors["notes"] == ["含有不可见的控制字符（U+000B），请删除后重新填写"]
    # A single-line field takes no tab either; C1 controls are refused too.
    r = client_for("city").post(reverse("people:create"), {**data, "name": "林\t美"})
    assert r.context["form"].errors["name"] == ["含有不可见的控制字符（U+0009），请删除后重新填写"]
    r = client_for("city").post(reverse("people:create"), {**data, "name": "林美", "employer": "厂\x85房"})
    assert r.context["form"].errors["employer"] == ["含有不可见的控制字符（U+0085），请删除后重新填写"]


def _api(cast: Cast) -> Client:
    user = cast.user("city")
    assert user is not None
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(actor=None, user=user, name='test')}")


def test_api_refuses_control_characters_and_lone_surrogates_in_bodies(cast: Cast) -> None:
    client = _api(cast)
    r = client.post(
        reverse("api:people"), {"name": "王\u0000强", "region": cast.region_a.pk}, content_type="application/json"
    )
    assert r.status_code == 400
    assert json.loads(r.content) == {"detail": "name 含有不可见的控制字符（U+0000），请删除后重新提交"}
    # json.dumps writes a lone surrogate as the escape "\ud800", which json.loads accepts.
    r = client.post(
        reverse("api:people"),
        '{"name": "王\\ud800强", "region": ' + str(cast.region_a.pk) + "}",
        content_type="application/json",
    )
    assert r.status_code == 400
    assert json.loads(r.content) == {"detail": "name 含有不可见的控制字符（U+D800），请删除后重新提交"}
    r = client.post(reverse("api:people"), "{not json", content_type="application/json")
    assert r.status_code == 400
    assert json.loads(r.content)["detail"].startswith("请求内容不是有效的 JSON")
    assert not Person.objects.filter(name__startswith="王").exists()


def test_api_refuses_control_characters_in_query_strings(cast: Cast) -> None:
    r = _api(cast).get(reverse("api:people"), {"q": "万\x01"})
    assert r.status_code == 400
    assert json.loads(r.content) == {"detail": "q 含有不可见的控制字符（U+0001），请删除后重新提交"}


def test_api_body_over_the_limit_is_413_json(cast: Cast, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"name": "王强", "region": cast.region_a.pk, "notes": "长" * 2000})
    r = _api(cast).post(reverse("api:people"), body, content_type="application/json")
    assert r.status_code == 413
    assert json.loads(r.content) == {"detail": "请求内容过大，请减少每次提交的数据量"}


def test_exports_drop_control_characters_already_stored(cast: Cast, client_for: Any) -> None:
    # (PostgreSQL cannot store NUL at all; other control characters it stores.)
    Person.objects.filter(pk=cast.person_a.pk).update(name="万\x01亚\x08勇", employer="=厂\x1f")
    r = client_for("district_a").get(reverse("people:export"))
    assert r.status_code == 200
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(r.content)).active.iter_rows()]
    assert (rows[1][0], "'=厂" in rows[1]) == ("万亚勇", True)


def test_writers_strip_control_characters() -> None:
    content = write_xlsx(["姓\x02名"], [["a\x01b\tc\nd"], ["\x00=1+2"]], title="标\x03题")
    ws = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in next(ws.iter_cols())] == ["标题", "姓名", "a\x01b\tc\nd".replace("\x01", ""), "'=1+2"]
    bank_file = write_sheet(["户名"], [["王\x01强"]])
    assert [c.value for c in next(load_workbook(io.BytesIO(bank_file)).active.iter_cols())] == ["户名", "王强"]


def _xlsx(rows: list[list[Any]]) -> bytes:

    return xlsx(rows)


def test_spreadsheets_with_control_characters_are_refused_with_the_cell() -> None:
    # openpyxl refuses to write a control character; Excel stores it as the escape _x0001_.
    data = _rezip(_xlsx([["姓名", "身份证号"], ["王强", "ABC_MARK"]]))
    with pytest.raises(SheetError) as refused:
        list(open_sheet(data, "a.xlsx").rows)
    assert str(refused.value) == "B2 单元格含有不可见的控制字符（U+0001），请删除该字符后重新上传"
    text = io.StringIO()
    csv.writer(text).writerows([["姓名", "备注"], ["王强", "两行\n也行"], ["李四", "坏\x1b"]])
    with pytest.raises(SheetError) as refused:
        list(open_sheet(text.getvalue().encode(), "a.csv").rows)
    assert str(refused.value) == "B3 单元格含有不可见的控制字符（U+001B），请删除该字符后重新上传"
    with pytest.raises(SheetError) as refused:
        read_rows(text.getvalue().encode(), "a.csv")
    assert str(refused.value) == "B3 单元格含有不可见的控制字符（U+001B），请删除该字符后重新上传"


def _rezip(data: bytes) -> bytes:
    """The workbook with the cell text ABC_MARK changed to A, U+0001 (as Excel escapes it), B."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in parts.items():
            dst.writestr(name, content.replace(b"ABC_MARK", b"A_x0001_B"))
    return out.getvalue()
