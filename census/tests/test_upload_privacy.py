"""Uploads hold full ID numbers: kept only while needed, refused numbers shown masked but for the
part that is wrong, and every download of personal data logged behind a permission."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from typing import Any

from django.apps import apps as django_apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from census import services
from census.importer import validate_file
from census.models import ImportBatch
from core.models import AuditEntry, Role
from core.permissions import role_permissions
from tests.cast import WORKER_A_ID

from .helpers import HEADER, make_id, xlsx

GOOD = make_id("330212", "19650312", "005")
BAD_CHECK = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")
BAD_DATE = make_id("330212", "19651332", "005")


def _upload(client: Any, rows: list[list[Any]], name: str = "a.xlsx") -> ImportBatch:
    upload = io.BytesIO(xlsx(rows))
    upload.name = name
    client.post(reverse("census:imports"), {"file": upload})
    return ImportBatch.objects.order_by("-pk").first()  # type: ignore[return-value]


def test_refused_ids_are_masked_except_the_wrong_part(cast: Any, client_for: Any) -> None:
    v = validate_file(
        xlsx([HEADER, ["张三", BAD_CHECK, "鄞州"], ["李四", BAD_DATE, "鄞州"], ["王五", "3302121965031", "鄞州"]]),
        "a.xlsx",
        actor=cast.city,
    )
    shown = [(e["row"], e["value"], e["problem"]) for e in v.report()["errors"]]
    assert shown == [
        (2, "*" * 17 + BAD_CHECK[17], "身份证号校验位不对，号码有误"),
        (3, "******19651332****", "身份证号中的出生日期不存在"),
        (4, "*" * 13, "身份证号应为18位，这里是13位"),
    ]
    client = client_for("city")
    batch = _upload(client, [HEADER, ["张三", BAD_CHECK, "鄞州"]])
    html = client.get(reverse("census:import_detail", kwargs={"pk": batch.pk})).content.decode()
    assert "*" * 17 + BAD_CHECK[17] in html
    assert BAD_CHECK not in html and BAD_CHECK not in str(batch.report)


def test_upload_is_deleted_once_imported_or_abandoned(cast: Any, client_for: Any) -> None:
    client = client_for("district_a")
    batch = _upload(client, [HEADER, ["新人", GOOD, "鄞州"]])
    assert (batch.status, bytes(batch.content)[:2]) == ("ready", b"PK")
    client.post(reverse("census:import_commit", kwargs={"pk": batch.pk}))
    batch.refresh_from_db()
    assert (batch.status, bytes(batch.content)) == ("committed", b"")

    other = _upload(client, [HEADER, ["万亚勇", WORKER_A_ID, "鄞州", "13805749999"]])
    response = client.post(reverse("census:import_abandon", kwargs={"pk": other.pk}))
    assert response["Location"] == reverse("census:imports")
    other.refresh_from_db()
    assert (other.status, bytes(other.content)) == ("abandoned", b"")
    assert AuditEntry.objects.filter(action="census.import.abandoned", object_id=str(other.pk)).count() == 1
    assert client.post(reverse("census:import_commit", kwargs={"pk": other.pk})).status_code == 302
    other.refresh_from_db()
    assert other.status == "abandoned"


def test_stale_uploads_are_purged_and_the_refused_page_says_so(cast: Any, client_for: Any) -> None:
    client = client_for("city")
    refused = _upload(client, [HEADER, ["张三", BAD_CHECK, "鄞州"]])
    ready = _upload(client, [HEADER, ["新人", GOOD, "鄞州"]])
    fresh = _upload(client, [HEADER, ["新人", GOOD, "鄞州"]])
    ImportBatch.objects.filter(pk__in=[refused.pk, ready.pk]).update(
        created=timezone.now() - services.UPLOAD_KEEP - dt.timedelta(minutes=1)
    )
    out = io.StringIO()
    call_command("purge_census_uploads", stdout=out)
    assert out.getvalue().startswith("deleted 2 uploaded files")
    states = {b.pk: (b.status, bool(b.content)) for b in ImportBatch.objects.all()}
    assert states == {refused.pk: ("refused", False), ready.pk: ("abandoned", False), fresh.pk: ("ready", True)}
    page = client.get(reverse("census:import_detail", kwargs={"pk": refused.pk})).content.decode()
    assert 'id="file-deleted"' in page and "下载标出错误的原文件" not in page
    assert client.get(reverse("census:import_error_file", kwargs={"pk": refused.pk})).status_code == 404


def test_error_copy_needs_the_id_permission_and_is_logged(cast: Any, client_for: Any, monkeypatch: Any) -> None:
    client = client_for("district_a")
    batch = _upload(client, [HEADER, ["张三", BAD_CHECK, "鄞州"]])
    url = reverse("census:import_error_file", kwargs={"pk": batch.pk})
    assert client.get(url).status_code == 200
    entry = AuditEntry.objects.get(action="census.import_errors.exported")
    assert (entry.actor, entry.object_id, entry.changes) == (
        cast.district_a,
        str(batch.pk),
        {"filename": "a.xlsx", "errors": 1},
    )

    without = role_permissions()[Role.DISTRICT_STAFF] - {"people.reveal_id"}
    monkeypatch.setitem(role_permissions(), Role.DISTRICT_STAFF, without)
    cast.district_a.__dict__.pop("_laomo_roles", None)
    assert client_for("district_a").get(url).status_code == 403
    assert AuditEntry.objects.filter(action="census.import_errors.exported").count() == 1


def test_missing_list_download_is_logged_and_needs_export_permission(
    cast: Any, client_for: Any, monkeypatch: Any
) -> None:
    campaign = services.open_campaign(actor=cast.city, year=2026)
    url = reverse("census:missing_export", kwargs={"pk": campaign.pk})
    assert client_for("district_b").get(url).status_code == 200
    entry = AuditEntry.objects.get(action="census.missing.exported")
    assert (entry.actor, entry.object_id, entry.changes) == (
        cast.district_b,
        str(campaign.pk),
        {"rows": 1, "district": None},
    )

    without = role_permissions()[Role.DISTRICT_STAFF] - {"people.export"}
    monkeypatch.setitem(role_permissions(), Role.DISTRICT_STAFF, without)
    assert client_for("district_b").get(url).status_code == 403


def test_data_migration_clears_old_uploads_and_masks_old_reports(cast: Any) -> None:
    old = timezone.now() - dt.timedelta(days=3)
    committed = ImportBatch.objects.create(
        region=cast.region_a, created_by=cast.city, filename="a.xlsx", content=b"PK..", status="committed"
    )
    stale_ready = ImportBatch.objects.create(
        region=cast.region_a, created_by=cast.city, filename="b.xlsx", content=b"PK..", status="ready"
    )
    refused_report = {
        "errors": [
            {"row": 2, "value": BAD_CHECK, "problem": "身份证号校验位不对，号码有误"},
            {"row": 3, "value": "3302**********0014", "problem": "同一身份证号在第 2 行已出现，但两行内容不同"},
        ]
    }
    refused = ImportBatch.objects.create(
        region=cast.region_a,
        created_by=cast.city,
        filename="c.xlsx",
        content=b"PK..",
        status="refused",
        report=refused_report,
    )
    ImportBatch.objects.filter(pk=stale_ready.pk).update(created=old)
    migration = importlib.import_module("census.migrations.0004_clear_kept_uploads")
    migration.clear(django_apps, None)
    got = {b.pk: (b.status, bytes(b.content)) for b in ImportBatch.objects.all()}
    assert got == {
        committed.pk: ("committed", b""),
        stale_ready.pk: ("abandoned", b""),
        refused.pk: ("refused", b"PK.."),  # uploaded today: the marked-up copy is still offered
    }
    refused.refresh_from_db()
    assert [e["value"] for e in refused.report["errors"]] == ["*" * 17 + BAD_CHECK[17], "3302**********0014"]
