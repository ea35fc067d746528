"""The Excel export: scoped, masked, formula-safe, logged; large lists go through a job."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry, Job
from people import exports
from people.tests.factories import make_person
from tests.cast import WORKER_A_ID, WORKER_B_ID, Cast

EXPORT = reverse("people:export")


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


def all_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_export_is_scoped_masked_and_logged(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    r = client_for("district_a").get(EXPORT)
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment; filename*=UTF-8''" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == exports.headers()
    assert len(rows) == 2
    assert rows[1][0] == "万亚勇"
    assert rows[1][exports.ID_COLUMN] == "3302**********0013"
    assert rows[1][exports.MOBILE_COLUMN] == "138****0001"
    assert ws.cell(row=2, column=exports.ID_COLUMN + 1).number_format == "@"
    text = all_text(r.content)
    for secret in (WORKER_A_ID, WORKER_B_ID, "13805740001", "单秀英"):
        assert secret not in text
    entry = AuditEntry.objects.get(action="people.person.exported")
    assert (entry.actor, entry.changes) == (cast.district_a, {"count": 1, "filters": {}})


def test_export_follows_the_filters(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    make_person("周师傅", cast.region_a, status="retired")
    r = client_for("city").get(EXPORT, {"q": "zsf", "status": "retired", "district": cast.region_a.pk})
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [row[0].value for row in ws.iter_rows(min_row=2)] == ["周师傅"]
    entry = AuditEntry.objects.get(action="people.person.exported")
    assert entry.changes == {"count": 1, "filters": {"q": "zsf", "district": "鄞州区", "status": "retired"}}


def test_export_cells_never_become_formulas(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    make_person("=1+2", cast.region_a, employer='=HYPERLINK("http://x","y")', post="@SUM(A1)")
    make_person("+王", cast.region_a, employer="-2+3")
    r = client_for("district_a").get(EXPORT)
    xml = sheet_xml(r.content)
    assert "<f>" not in xml and "<f " not in xml
    ws = load_workbook(io.BytesIO(r.content)).active
    values = {c.value for row in ws.iter_rows(min_row=2) for c in row}
    assert {"'=1+2", '\'=HYPERLINK("http://x","y")', "'@SUM(A1)", "'+王", "'-2+3"} <= values
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_large_export_runs_as_a_job(
    cast: Cast, client_for, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("people.views.DIRECT_EXPORT_LIMIT", 1)
    monkeypatch.setattr("people.exports.CHUNK", 1)
    make_person("周师傅", cast.region_a)
    client = client_for("district_a")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(EXPORT)
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("core:job", kwargs={"job_id": job.pk})
    assert (job.status, job.done, job.total, job.result["count"]) == ("done", 2, 2, 2)
    assert job.created_by == cast.district_a
    download = client.get(reverse("core:job_download", kwargs={"job_id": job.pk}))
    content = b"".join(download.streaming_content)
    ws = load_workbook(io.BytesIO(content)).active
    assert [row[0].value for row in ws.iter_rows(min_row=2)] == ["万亚勇", "周师傅"]
    assert WORKER_A_ID not in all_text(content)
    assert AuditEntry.objects.get(action="people.person.exported").changes["count"] == 2
    # The job and its file are its creator's alone.
    assert client_for("district_b").get(reverse("core:job_download", kwargs={"job_id": job.pk})).status_code == 404
