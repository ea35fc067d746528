"""Long system work in the background: the region import and the audit log export, each run as
the user who asked, with that user's permissions checked again when the task starts (a role can
be taken away while a job waits in the queue)."""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from core import services
from core.errors import DomainError
from core.jobs import fail_job, finish_job, job_for_task, report_progress, take_upload
from core.models import Job
from core.request_context import set_current_ip
from core.sheetreader import SheetError, read_rows
from core.system import selectors


@task()
def run_region_import(job_id: str) -> None:
    """Check the stashed file and, if every row is right, write it in one transaction. A refused
    file ends the job as failed with every refused row in ``result["errors"]`` and as a
    spreadsheet to download; nothing is written."""
    job = job_for_task(job_id, *services.REGION_PERMS, combine=any)
    if job is None:
        take_upload(Job.objects.get(pk=job_id).params["upload"])  # nobody may read it now: remove it
        return
    actor = job.created_by
    try:
        data = take_upload(job.params["upload"])
        try:
            sheet = read_rows(data, job.params["filename"])
        except SheetError as exc:
            fail_job(job_id, str(exc))
            return

        def progress(done: int, total: int, message: str) -> None:
            report_progress(job_id, done, total, message)

        result = services.import_regions(
            actor=actor, rows=sheet.rows, update_existing=bool(job.params.get("update_existing")), progress=progress
        )
    except DomainError as exc:
        fail_job(job_id, exc.message)
        return
    except Exception:
        fail_job(job_id, _("导入失败，未写入任何数据；请联系管理员"))
        raise
    finally:
        set_current_ip(None)
    if not result.ok:
        fail_job(
            job_id,
            _("有 %(n)s 处问题，未导入任何数据") % {"n": f"{len(result.errors):,}"},
            result={"errors": [e.as_dict() for e in result.errors]},
            file_name="区域导入问题.xlsx",
            content=services.region_import_report(result),
        )
        return
    finish_job(
        job_id,
        result={
            "created": len(result.created),
            "updated": len(result.updated),
            "next_url": reverse("system:regions"),
        },
        message=_("导入成功：新增 %(c)s 条，更新 %(u)s 条")
        % {"c": f"{len(result.created):,}", "u": f"{len(result.updated):,}"},
        file_name="区域导入结果.xlsx",
        content=services.region_import_report(result),
    )


AUDIT_EXPORT_FIELDS = ("created", "actor_name", "action", "object_type", "object_id", "object_repr", "changes", "ip")
# Rows fetched from the database at a time (a server-side cursor on PostgreSQL).
AUDIT_EXPORT_CHUNK = 2_000


def audit_filters_to_params(filters: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in filters.items()}


def audit_filters_from_params(params: dict[str, Any]) -> dict[str, Any]:
    return {k: dt.date.fromisoformat(v) if k in {"start", "end"} and v else v for k, v in params.items()}


@task()
def run_audit_export(job_id: str) -> None:
    """Every entry matching the filters, streamed into an .xlsx on disk and kept as the job's
    result; only the auditor role may read the log (the system administrator may not)."""
    job = job_for_task(job_id, "audit.view")
    if job is None:
        return
    actor = job.created_by
    try:
        filters = audit_filters_from_params(job.params.get("filters", {}))
        entries = selectors.audit_entries(**filters).only(*AUDIT_EXPORT_FIELDS)
        total = entries.count()
        report_progress(job_id, 0, total, _("导出中"))

        def progress(done: int, total: int, message: str) -> None:
            report_progress(job_id, done, total, message)

        with tempfile.TemporaryFile() as spool:
            count = services.write_audit_export(
                actor=actor,
                entries=entries.iterator(chunk_size=AUDIT_EXPORT_CHUNK),
                filters=filters,
                target=spool,
                progress=progress,
                total=total,
            )
            spool.seek(0)
            finish_job(
                job_id,
                result={"count": count},
                message=_("已导出 %(n)s 条") % {"n": f"{count:,}"},
                file_name="操作日志.xlsx",
                content=spool,
            )
    except Exception:
        fail_job(job_id, _("导出失败，请稍后重试或联系管理员"))
        raise
    finally:
        set_current_ip(None)
