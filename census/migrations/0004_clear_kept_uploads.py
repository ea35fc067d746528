"""Uploads kept after they were needed: empty the files of imported, failed and abandoned batches
and of those older than a day (a preview never imported becomes abandoned), and mask the refused
ID numbers their reports quote in full."""

import datetime as dt
import re

from django.db import migrations
from django.utils import timezone

KEEP = dt.timedelta(hours=24)  # census.services.UPLOAD_KEEP when this was written
_CODES = (("校验位", "check"), ("出生日期", "date"), ("科学计数法", "numeric"))


def _mask(value: str, problem: str) -> tuple[str, str]:
    """census.values.mask_refused_id, with the refusal read back from its message."""
    code = next((c for word, c in _CODES if word in problem), "")
    significant = sum(1 for ch in value if ch.isdigit() or ch in "Xx")
    keep: set[int] = set()
    if code == "check":
        keep = {significant - 1}
    elif code == "date":
        keep = set(range(6, 12)) if significant == 15 else set(range(6, 14))
    text, exponent = value, ""
    if code == "numeric":
        keep = set(range(4))
        found = re.search(r"[eE]", value)
        if found:
            text, exponent = value[: found.start()], value[found.start() :]
    out, index = [], 0
    for ch in text:
        if ch.isdigit() or ch in "Xx":
            out.append(ch if index in keep else "*")
            index += 1
        else:
            out.append(ch)
    masked = "".join(out) + exponent
    return masked, problem.replace(value, masked) if value else problem


def clear(apps, schema_editor):
    ImportBatch = apps.get_model("census", "ImportBatch")
    cutoff = timezone.now() - KEEP
    ImportBatch.objects.filter(status="ready", created__lt=cutoff).update(status="abandoned")
    done = ImportBatch.objects.filter(status__in=["committed", "failed", "abandoned"])
    done.exclude(content=b"").update(content=b"")
    ImportBatch.objects.filter(created__lt=cutoff).exclude(status__in=["validating", "committing"]).exclude(
        content=b""
    ).update(content=b"")
    for batch in ImportBatch.objects.only("pk", "report").iterator():
        errors = batch.report.get("errors") or []
        changed = False
        for error in errors:
            value, problem = error.get("value") or "", error.get("problem") or ""
            if "身份证号" in problem and "*" not in value and sum(ch.isdigit() for ch in value) >= 6:
                error["value"], error["problem"] = _mask(value, problem)
                changed = True
        if changed:
            ImportBatch.objects.filter(pk=batch.pk).update(report=batch.report)


class Migration(migrations.Migration):
    dependencies = [("census", "0003_import_batch_abandoned")]

    operations = [migrations.RunPython(clear, migrations.RunPython.noop)]
