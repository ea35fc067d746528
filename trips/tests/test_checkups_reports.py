"""trips.checkups: report files are sealed at rest (core.crypto), opened only by the logged view;
files stored before sealing are sealed by the migration's routine (and its command)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from core.crypto import decrypt_bytes, is_sealed
from core.models import AuditEntry
from trips.models.checkups import CheckupBooking
from trips.tests import checkups_factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _stored(booking: CheckupBooking) -> bytes:
    with default_storage.open(booking.report.name, "rb") as fh:
        return fh.read()


def test_uploaded_report_is_sealed_on_disk_and_opened_by_the_logged_view(cast, client_for, media):
    b = f.attended(cast)
    upload = SimpleUploadedFile("体检报告.pdf", PDF, content_type="application/pdf")
    client_for("city").post(reverse("trips:checkups_report_upload", args=[b.pk]), {"file": upload})
    b.refresh_from_db()
    raw = _stored(b)
    assert b"%PDF" not in raw and not raw.startswith(b"%PDF")
    assert is_sealed(raw) and decrypt_bytes(raw) == PDF
    assert not b.report.name.endswith(".pdf")  # nothing on disk says what it is
    on_disk = [p for p in media.rglob("*") if p.is_file()]
    assert len(on_disk) == 1 and PDF not in on_disk[0].read_bytes()

    r = client_for("city").get(reverse("trips:checkups_report", args=[b.pk]))
    assert r.status_code == 200 and r.content == PDF
    assert r["Content-Type"] == "application/pdf" and r["Cache-Control"] == "private, no-store"
    assert "attachment" in r["Content-Disposition"]
    assert AuditEntry.objects.filter(action="trips.checkups.report.view", object_id=str(b.pk)).count() == 1
    # district staff (no health permission) get neither the file nor a log entry in their name
    assert client_for("district_a").get(reverse("trips:checkups_report", args=[b.pk])).status_code == 403


def test_replacing_a_report_removes_the_old_file(cast, client_for, media, django_capture_on_commit_callbacks):
    b = f.attended(cast)
    url = reverse("trips:checkups_report_upload", args=[b.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_for("city").post(url, {"file": SimpleUploadedFile("a.pdf", PDF)})
    b.refresh_from_db()
    first = b.report.name
    with django_capture_on_commit_callbacks(execute=True):
        client_for("city").post(url, {"file": SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n")})
    b.refresh_from_db()
    assert b.report.name != first and not default_storage.exists(first)
    assert [p.name for p in media.rglob("*") if p.is_file()] == [b.report.name.rsplit("/", 1)[-1]]


def test_reports_stored_in_the_clear_are_sealed_by_the_command(
    cast, client_for, media, django_capture_on_commit_callbacks
):
    b = f.attended(cast)
    clear = default_storage.save(f"checkups/{b.campaign_id}/old.pdf", ContentFile(PDF))
    CheckupBooking.objects.filter(pk=b.pk).update(report=clear, report_name="old.pdf")
    # not yet sealed: the view still serves it (the deployment seals on migrate)
    assert client_for("city").get(reverse("trips:checkups_report", args=[b.pk])).content == PDF

    with django_capture_on_commit_callbacks(execute=True):
        call_command("checkups_seal_reports", stdout=open("/dev/null", "w"))  # noqa: SIM115
    b.refresh_from_db()
    assert b.report.name != clear and not default_storage.exists(clear)
    raw = _stored(b)
    assert b"%PDF" not in raw and decrypt_bytes(raw) == PDF
    assert client_for("city").get(reverse("trips:checkups_report", args=[b.pk])).content == PDF

    # again: nothing left to seal, nothing changed
    with django_capture_on_commit_callbacks(execute=True):
        call_command("checkups_seal_reports", stdout=open("/dev/null", "w"))  # noqa: SIM115
    b2 = CheckupBooking.objects.get(pk=b.pk)
    assert b2.report.name == b.report.name and _stored(b2) == raw


def test_the_migration_seals_with_the_historical_model(cast, media, django_capture_on_commit_callbacks):
    b = f.attended(cast)
    clear = default_storage.save(f"checkups/{b.campaign_id}/legacy.pdf", ContentFile(PDF))
    CheckupBooking.objects.filter(pk=b.pk).update(report=clear, report_name="legacy.pdf")
    loader = MigrationLoader(connection)
    migration = loader.get_migration("trips", "0005_checkups_edit")
    state = loader.project_state(("trips", "0005_checkups_edit"))
    with django_capture_on_commit_callbacks(execute=True):
        operation = migration.operations[0]
        assert isinstance(operation, RunPython)
        operation.code(state.apps, connection.schema_editor())
    b.refresh_from_db()
    assert not default_storage.exists(clear) and is_sealed(_stored(b))
