"""Check-up report files at rest: sealed with the field key (``core.crypto.encrypt_bytes``) before
they reach storage, opened only by the logged, permission-checked view. Files stored before
sealing are sealed by migration 0005 (and ``manage.py checkups_seal_reports``)."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from core.crypto import decrypt_bytes, encrypt_bytes, is_sealed

SEALED_SUFFIX = ".sealed"


def sealed_file(plain: bytes) -> ContentFile[bytes]:
    """Content for ``booking.report.save("report" + SEALED_SUFFIX, ...)`` (``report_path`` keeps only
    the suffix, so nothing on disk tells what kind of file it was)."""
    return ContentFile(encrypt_bytes(plain))


def read_report(booking: Any) -> bytes:
    """The report's original bytes. A file stored before sealing (not yet migrated) is read as it is."""
    with booking.report.open("rb") as fh:
        data: bytes = fh.read()
    return decrypt_bytes(data) if is_sealed(data) else data


def seal_stored_reports(model: Any, *, stdout: Any = None) -> int:
    """Seal every report file of ``model`` (``CheckupBooking``, or its historical version in a
    migration) still stored in the clear: the sealed copy is written under a new name, the row is
    pointed at it, then the clear file is removed. Safe to run again. Returns how many were sealed."""
    sealed = 0
    for pk in model.objects.exclude(report="").order_by("pk").values_list("pk", flat=True).iterator():
        with transaction.atomic():
            booking = model.objects.select_for_update().get(pk=pk)
            old = booking.report.name
            if not old or not default_storage.exists(old):
                continue
            with default_storage.open(old, "rb") as fh:
                data = fh.read()
            if is_sealed(data):
                continue
            folder = old.rsplit("/", 1)[0] if "/" in old else "checkups"
            new = default_storage.save(f"{folder}/{uuid.uuid4().hex}{SEALED_SUFFIX}", ContentFile(encrypt_bytes(data)))
            model.objects.filter(pk=pk).update(report=new)
            transaction.on_commit(partial(default_storage.delete, old))
            sealed += 1
            if stdout is not None:
                stdout.write(f"sealed booking {pk}: {old} -> {new}\n")
    return sealed
