"""Bad input gets a 4xx with a message a person can act on, never a 500: damaged spreadsheets,
numbers no database column holds, negative or huge offsets, a Host header the site does not
serve. Found by trying the routes of the permission matrix with hostile values."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assistance.tests import factories as assistance_factories
from census.models import ImportBatch
from census.services import open_campaign
from census.tests.helpers import HEADER, make_id, xlsx
from core.params import parse_id
from core.services import issue_api_token
from core.sheetreader import SheetError, find_formula, open_sheet
from payments.tests import helpers as payment_helpers
from tests.cast import Cast

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def _api(cast: Cast, name: str = "city") -> Client:
    user = cast.user(name)
    assert user is not None
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(actor=None, user=user, name='test')}")


def _bad_crc(data: bytes) -> bytes:
    """The workbook with its sheet stored uncompressed and one byte of it changed afterwards:
    the zip opens, the sheet's CRC-32 no longer matches."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, content in parts.items():
            dst.writestr(
                name, content, zipfile.ZIP_STORED if name.startswith("xl/worksheets/") else zipfile.ZIP_DEFLATED
            )
    raw = out.getvalue()
    at = raw.index(b"<sheetData>") + 2
    return raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1 :]


def test_parse_id_takes_only_what_a_column_holds() -> None:
    assert [parse_id(v) for v in ["12", "0", HUGE, "²", "-3", " 4", "", None, "999999999999999999"]] == [
        12,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        999999999999999999,
    ]


def test_a_workbook_with_a_bad_crc_is_refused_and_its_import_ends_refused(cast: Cast, client_for: Any) -> None:
    data = _bad_crc(xlsx([HEADER, ["张三", make_id(), "鄞州"]]))
    with pytest.raises(SheetError) as refused:
        open_sheet(data, "a.xlsx")
    assert str(refused.value) == "文件已损坏，无法作为 Excel 文件打开"
    upload = io.BytesIO(data)
    upload.name = "坏.xlsx"
    response = client_for("city").post(reverse("census:imports"), {"file": upload}, follow=True)
    assert response.status_code == 200
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REFUSED
    assert [e["problem"] for e in batch.report["errors"]] == ["文件已损坏，无法作为 Excel 文件打开"]
    assert "文件已损坏，无法作为 Excel 文件打开" in response.content.decode()


def test_a_namespaced_formula_is_refused_like_a_plain_one() -> None:
    data = xlsx([HEADER, ["张三", make_id(), "鄞州", "1"]])
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    # What some generators write: the main namespace under a prefix, the formula as <x:f>.
    sheet = sheet.replace(
        '<c r="D2" t="inlineStr"><is><t>1</t></is></c>', '<x:c r="D2"><x:f>1+1</x:f><x:v>2</x:v></x:c>'
    )
    sheet = sheet.replace(
        "<worksheet ", '<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    )
    assert "<x:f>" in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in parts.items():
            dst.writestr(name, content)
    assert find_formula(out.getvalue()) == "D2"
    with pytest.raises(SheetError) as refused:
        open_sheet(out.getvalue(), "a.xlsx")
    assert str(refused.value).startswith("文件含有公式（如 D2 单元格）")


def test_negative_or_huge_offsets_and_limits_are_422(cast: Cast) -> None:
    client = _api(cast)
    url = reverse("api:assistance_requests")
    for query in ({"offset": -1}, {"limit": -5}, {"offset": HUGE}, {"limit": 0}):
        response = client.get(url, query)
        assert response.status_code == 422, query
        assert json.loads(response.content)["detail"][0]["loc"][-1] == next(iter(query))
    assert client.get(url, {"limit": HUGE}).status_code == 200  # capped at 200, as before
    round_id = payment_helpers.approved(cast).pk
    url = reverse("api:payments_payouts", kwargs={"round_id": round_id})
    assert [client.get(url, q).status_code for q in ({"offset": -1}, {"offset": HUGE}, {"limit": -1})] == [422] * 3
    assert client.get(url, {"offset": 0, "limit": 2}).status_code == 200


def test_twenty_digit_numbers_in_urls_queries_and_forms(cast: Cast, client_for: Any) -> None:
    city = client_for("city")
    campaign = open_campaign(actor=cast.city, year=2026)
    assert city.get(reverse("census:campaign", kwargs={"pk": campaign.pk}), {"district": HUGE}).status_code == 200
    assert city.get(reverse("census:missing_export", kwargs={"pk": campaign.pk}), {"district": HUGE}).status_code == 200
    assert city.get("/people/" + HUGE + "/").status_code == 404
    assert city.get(reverse("people:list"), {"page": HUGE, "size": HUGE}).status_code == 200
    assert _api(cast).get("/api/people/" + HUGE).status_code == 404
    request = assistance_factories.accepted_request(cast)
    response = city.post(reverse("assistance:request_invite", kwargs={"pk": request.pk}), {"person": [HUGE, "²"]})
    assert response.status_code == 302
    round_ = payment_helpers.approved(cast)
    for raw in (HUGE, "²"):
        assert (
            city.get(reverse("payments:correction_create", kwargs={"pk": round_.pk}), {"payout": raw}).status_code
            == 404
        )


def test_a_bad_host_header_in_production_is_400(cast: Cast, settings: Any) -> None:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["laomo.example.cn"]
    client = Client(raise_request_exception=False)
    for path in ("/", "/accounts/login/", "/api/people/"):
        response = client.get(path, HTTP_HOST="evil.example.com")
        assert response.status_code == 400, path
    assert "请求有误（400）" in client.get("/", HTTP_HOST="evil.example.com").content.decode()
