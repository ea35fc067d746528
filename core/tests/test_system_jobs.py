"""The region import and the audit log export as background jobs: started for large input,
progress reported, the result downloadable by its owner alone, permissions checked again inside
the task, a refused file writing nothing, and the export streamed (never a list of all rows)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from core import services, tasks
from core.jobs import stash_upload
from core.models import AuditEntry, Job, Region, RoleAssignment
from core.spreadsheets import write_xlsx_to
from core.tests.regions import BAD_ROWS, GOOD_ROWS, region_upload
from tests.cast import build_cast, staff_sign_in


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [row for ws in book.worksheets for row in ws.iter_rows(values_only=True)]


def _download(client: Any, job: Job) -> bytes:
    response = client.get(reverse("core:job_download", kwargs={"job_id": job.pk}))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _progress_spy(monkeypatch: Any) -> list[tuple[int, int, str]]:
    """Records what the task reports, and passes it on to the real ``report_progress``."""
    seen: list[tuple[int, int, str]] = []
    real = tasks.report_progress

    def spy(job_id: str, done: int, total: int, message: str = "") -> None:
        seen.append((done, total, message))
        real(job_id, done, total, message)

    monkeypatch.setattr(tasks, "report_progress", spy)
    return seen


# --- 区域导入 -------------------------------------------------------------------------------------


def test_region_import_small_file_still_answers_at_once(cast: Any, client_for: Any) -> None:
    response = client_for("district_a").post(reverse("system:region_import"), region_upload(GOOD_ROWS, update=True))
    assert response.status_code == 302 and response["Location"] == reverse("system:regions")
    assert Job.objects.count() == 0


def test_region_import_refused_large_file_writes_nothing_and_reports_on_the_job_page(
    cast: Any, client_for: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any, _media: Path
) -> None:
    monkeypatch.setattr("core.system.views.REGION_IMPORT_BACKGROUND_BYTES", 0)
    client = client_for("district_a")
    regions_before = Region.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("system:region_import"), region_upload(BAD_ROWS))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job", kwargs={"job_id": job.pk})
    assert (job.kind, job.status, job.message) == ("core.region.import", "failed", "有 6 处问题，未导入任何数据")
    assert [(e["row"], e["column"]) for e in job.result["errors"]] == [
        (4, "上级代码"),
        (5, "区划代码"),
        (6, "类型"),
        (7, "区划代码"),
        (8, "区划代码"),
        (9, "上级代码"),
    ]
    assert job.result["errors"][0]["problem"] == "上级区域不在你的数据范围内"  # district staff: own district only
    assert Region.objects.count() == regions_before
    assert not AuditEntry.objects.filter(action__startswith="core.region.").exists()
    assert list((_media / "jobs" / "uploads").iterdir()) == []  # the stashed upload is gone

    page = client.get(reverse("core:job", kwargs={"job_id": job.pk})).content.decode()
    assert "有 6 处问题，未导入任何数据" in page and "先在区域管理中建立上级区域" in page and "下载问题清单" in page
    report = _sheet_rows(_download(client, job))
    assert report[0] == ("Excel 行号", "列", "问题", "如何修改")
    assert [r[0] for r in report[1:]] == [4, 5, 6, 7, 8, 9]


def test_region_import_large_file_runs_as_job_with_progress(
    cast: Any, client_for: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr("core.system.views.REGION_IMPORT_BACKGROUND_BYTES", 0)
    monkeypatch.setattr(services, "REGION_PROGRESS_EVERY", 1)
    seen = _progress_spy(monkeypatch)
    client = client_for("district_a")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("system:region_import"), region_upload(GOOD_ROWS, update=True))
    job = Job.objects.get()
    assert (job.status, job.message, job.percent) == ("done", "导入成功：新增 2 条，更新 1 条", 100)
    assert seen == [
        (1, 6, "校验中"),
        (2, 6, "校验中"),
        (3, 6, "写入中"),
        (4, 6, "写入中"),
        (5, 6, "写入中"),
        (6, 6, "写入中"),
    ]
    grid = Region.objects.get(code="330212101001001")
    assert grid.path == cast.region_a.path + "330212101.330212101001.330212101001001."
    imported = AuditEntry.objects.get(action="core.region.imported")
    assert (imported.actor, imported.changes, imported.ip) == (
        cast.district_a,
        {"created": 2, "updated": 1},
        "127.0.0.1",
    )
    assert _sheet_rows(_download(client, job)) == [
        ("区划代码", "名称", "类型", "结果"),
        ("330212101001", "洞桥社区", "社区/村", "新增"),
        ("330212101001001", "洞桥一网格", "网格", "新增"),
        ("330212001", "中河街道（新）", "镇街", "更新"),
    ]
    # The job and its result are the starter's alone.
    for other in ("district_b", "city", "auditor"):
        outsider = client_for(other)
        assert outsider.get(reverse("core:job", kwargs={"job_id": job.pk})).status_code == 404
        assert outsider.get(reverse("core:job_download", kwargs={"job_id": job.pk})).status_code == 404


def test_region_import_job_rechecks_permission_and_reads_nothing_it_may_not(cast: Any, _media: Path) -> None:

    upload = SimpleUploadedFile("regions.xlsx", region_upload(GOOD_ROWS)["file"].read())
    job = Job.objects.create(
        kind="core.region.import",
        title="t",
        created_by=cast.district_a,
        params={"upload": stash_upload(upload), "filename": "regions.xlsx"},
    )
    RoleAssignment.objects.filter(user=cast.district_a).delete()  # the role is taken away while queued
    tasks.run_region_import.call(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "发起人已没有这项工作的权限，未做任何处理")
    assert not Region.objects.filter(code="330212101001").exists()
    assert list((_media / "jobs" / "uploads").iterdir()) == []


def test_region_import_job_unreadable_file_fails_with_its_reason(cast: Any) -> None:

    upload = SimpleUploadedFile("regions.xlsx", b"not a spreadsheet")
    job = Job.objects.create(
        kind="core.region.import",
        title="t",
        created_by=cast.city,
        params={"upload": stash_upload(upload), "filename": "regions.xlsx"},
    )
    tasks.run_region_import.call(str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed" and job.message and not job.result_file
    assert not AuditEntry.objects.filter(action="core.region.imported").exists()


# --- 操作日志导出 ---------------------------------------------------------------------------------


def _seed_entries(n: int) -> None:
    # Written as a migration or an old version might have: a full ID number in free text.
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor_name="city",
            action="people.person.seeded",
            object_type="people.person",
            object_id=str(i),
            object_repr=f"人员 330212196503120013 #{i}",
            changes={"note": "号码 330212196503120013"},
        )
        for i in range(n)
    )


def test_audit_export_large_runs_as_job_masked_complete_and_owners_only(
    cast: Any, client_for: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr("core.system.views.AUDIT_EXPORT_INLINE_ROWS", 10)
    monkeypatch.setattr(services, "AUDIT_PROGRESS_EVERY", 7)
    seen = _progress_spy(monkeypatch)
    _seed_entries(30)
    auditor = client_for("auditor")
    with django_capture_on_commit_callbacks(execute=True):
        response = auditor.get(reverse("system:audit_export"), {"actor": "city", "action": "people.person.seeded"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job", kwargs={"job_id": job.pk})
    assert (job.kind, job.status, job.message, job.result["count"]) == ("core.audit.export", "done", "已导出 30 条", 30)
    assert seen == [(0, 30, "导出中"), (7, 30, "导出中"), (14, 30, "导出中"), (21, 30, "导出中"), (28, 30, "导出中")]
    rows = _sheet_rows(_download(auditor, job))
    assert rows[0] == services.AUDIT_EXPORT_HEADERS
    assert len(rows) == 1 + 30
    assert sorted(int(r[4]) for r in rows[1:]) == list(range(30))
    assert "330212196503120013" not in str(rows)
    assert rows[1][5].startswith("人员 3302**********0013")
    export = AuditEntry.objects.get(action="core.audit.exported")
    assert (export.actor, export.ip) == (cast.auditor, "127.0.0.1")
    assert export.changes == {"filters": {"actor": "city", "action": "people.person.seeded"}, "count": 30}
    # Nobody else sees the job or its file: not the system administrator (三员分立), not the city.
    for other in ("sysadmin", "secadmin", "city"):
        outsider = client_for(other)
        assert outsider.get(reverse("core:job", kwargs={"job_id": job.pk})).status_code == 404
        assert outsider.get(reverse("core:job_download", kwargs={"job_id": job.pk})).status_code == 404


def test_audit_export_small_is_answered_at_once(cast: Any, client_for: Any) -> None:
    _seed_entries(3)
    response = client_for("auditor").get(reverse("system:audit_export"), {"action": "people.person.seeded"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(_sheet_rows(response.content)) == 1 + 3
    assert Job.objects.count() == 0


def test_audit_export_refused_to_the_system_administrator(cast: Any, client_for: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr("core.system.views.AUDIT_EXPORT_INLINE_ROWS", 0)
    assert client_for("sysadmin").get(reverse("system:audit_export")).status_code == 403
    assert Job.objects.count() == 0


def test_audit_export_job_rechecks_the_auditor_role(cast: Any) -> None:
    _seed_entries(3)
    job = Job.objects.create(kind="core.audit.export", title="t", created_by=cast.sysadmin, params={"filters": {}})
    tasks.run_audit_export.call(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.message, bool(job.result_file)) == (
        "failed",
        "发起人已没有这项工作的权限，未做任何处理",
        False,
    )
    assert not AuditEntry.objects.filter(action="core.audit.exported").exists()


def test_audit_export_job_reads_date_filters(cast: Any) -> None:

    _seed_entries(4)
    today = timezone.localdate()
    params = tasks.audit_filters_to_params({"action": "people.person.seeded", "start": today, "end": None})
    assert params == {"action": "people.person.seeded", "start": today.isoformat(), "end": None}
    job = Job.objects.create(kind="core.audit.export", title="t", created_by=cast.auditor, params={"filters": params})
    tasks.run_audit_export.call(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.result["count"]) == ("done", 4)
    later = tasks.audit_filters_to_params({"action": "people.person.seeded", "start": today + dt.timedelta(days=1)})
    job2 = Job.objects.create(kind="core.audit.export", title="t", created_by=cast.auditor, params={"filters": later})
    tasks.run_audit_export.call(str(job2.pk))
    job2.refresh_from_db()
    assert (job2.status, job2.result["count"]) == ("done", 0)


def test_audit_export_streams_entries_one_at_a_time(cast: Any, monkeypatch: Any) -> None:
    """The writer pulls each entry as it writes it: when the first progress report comes, only
    that many have been taken from the source, not all of them (no list of every row)."""
    monkeypatch.setattr(services, "AUDIT_PROGRESS_EVERY", 10)
    _seed_entries(50)
    taken = 0

    def source() -> Any:
        nonlocal taken
        for entry in AuditEntry.objects.filter(action="people.person.seeded").order_by("id").iterator(chunk_size=10):
            taken += 1
            yield entry

    taken_at_report: list[tuple[int, int]] = []
    count = services.write_audit_export(
        actor=cast.auditor,
        entries=source(),
        filters={},
        target=io.BytesIO(),
        progress=lambda done, total, message: taken_at_report.append((done, taken)),
        total=50,
    )
    assert count == 50
    assert taken_at_report == [(10, 10), (20, 20), (30, 30), (40, 40), (50, 50)]


def test_long_exports_go_on_to_further_sheets(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    count = write_xlsx_to(target, ["编号"], ([i] for i in range(10)), sheet_title="操作日志", rows_per_sheet=4)
    book = load_workbook(target, read_only=True)
    assert count == 10
    assert book.sheetnames == ["操作日志", "操作日志 (2)", "操作日志 (3)"]
    assert [list(ws.iter_rows(values_only=True)) for ws in book.worksheets] == [
        [("编号",), (0,), (1,), (2,), (3,)],
        [("编号",), (4,), (5,), (6,), (7,)],
        [("编号",), (8,), (9,)],
    ]


@pytest.mark.django_db(transaction=True)
def test_both_jobs_run_outside_a_test_transaction_as_in_production(
    cast: Any, client_for: Any, monkeypatch: Any
) -> None:
    """With autocommit, as a real request: the job commits, the task runs after it (a
    server-side cursor for the export on PostgreSQL; progress from the import's one transaction
    through a connection of its own), and the results are there for their owners."""
    monkeypatch.setattr("core.system.views.AUDIT_EXPORT_INLINE_ROWS", 5)
    monkeypatch.setattr("core.system.views.REGION_IMPORT_BACKGROUND_BYTES", 0)
    monkeypatch.setattr(services, "AUDIT_PROGRESS_EVERY", 4)
    monkeypatch.setattr(services, "REGION_PROGRESS_EVERY", 1)
    _seed_entries(12)
    auditor = client_for("auditor")
    response = auditor.get(reverse("system:audit_export"), {"action": "people.person.seeded"})
    export = Job.objects.get(kind="core.audit.export")
    assert response["Location"] == reverse("core:job", kwargs={"job_id": export.pk})
    assert (export.status, export.result["count"]) == ("done", 12)
    assert len(_sheet_rows(_download(auditor, export))) == 1 + 12

    client = client_for("district_a")
    client.post(reverse("system:region_import"), region_upload(GOOD_ROWS, update=True))
    job = Job.objects.get(kind="core.region.import")
    assert (job.status, job.message) == ("done", "导入成功：新增 2 条，更新 1 条")
    assert Region.objects.filter(code__in=["330212101001", "330212101001001"]).count() == 2


@pytest.mark.browser
def test_refused_region_file_report_on_the_job_page_in_a_browser(
    browser: Any, live_server: Any, transactional_db: None, monkeypatch: Any, tmp_path: Path, screenshots_dir: Path
) -> None:

    monkeypatch.setattr("core.system.views.REGION_IMPORT_BACKGROUND_BYTES", 0)
    cast = build_cast()
    device = TOTPDevice.objects.create(user=cast.district_a, name="手机", confirmed=True)
    (tmp_path / "bad.xlsx").write_bytes(region_upload(BAD_ROWS)["file"].read())

    page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    page.goto(live_server.url + reverse("system:region_import"))
    staff_sign_in(page, "district_a", device, lands_on="**/regions/import/")
    page.set_input_files("#id_file", str(tmp_path / "bad.xlsx"))
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/jobs/**")
    page.wait_for_selector("#job-progress table.import-errors")
    text = page.inner_text("#job-progress")
    assert "有 6 处问题，未导入任何数据" in text and "上级区域不在你的数据范围内" in text
    assert page.locator("#job-progress table.import-errors tbody tr").count() == 6
    assert page.get_by_role("link", name="下载问题清单").is_visible()
    page.screenshot(path=str(screenshots_dir / "region-import-job-refused.png"), full_page=True)
    assert not Region.objects.filter(code="330212101001").exists()
