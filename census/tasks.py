"""Large imports run in the background: validation and commit, with progress on the job page."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from core.errors import DomainError
from core.jobs import fail_job, finish_job, job_for_task, report_progress

from . import services
from .models import ImportBatch


@task()
def run_import(job_id: str) -> None:
    job = job_for_task(job_id, "people.import")
    if job is None:
        return
    # The batch's district must still be the starter's (404 → the job fails, nothing written).
    batch = ImportBatch.objects.filter(pk=job.params["batch"]).visible_to(job.created_by).first()
    if batch is None:
        fail_job(job_id, "发起人已看不到这批导入，未做任何处理")
        return
    action = job.params.get("action", "validate")

    def progress(done: int, total: int, message: str) -> None:
        report_progress(job_id, done, total, message)

    try:
        if action == "commit":
            counts = services.commit_batch(actor=job.created_by, batch=batch, progress=progress)
            message = services.describe_import(counts, in_campaign=batch.campaign_id is not None)
        else:
            validation = services.validate_batch(actor=job.created_by, batch=batch, progress=progress)
            message = (
                f"发现 {validation.error_count:,} 处错误，未导入任何数据"
                if validation.refused
                else "校验通过，请确认导入"
            )
    except DomainError as exc:
        ImportBatch.objects.filter(pk=batch.pk).exclude(status=ImportBatch.Status.COMMITTED).update(
            status=ImportBatch.Status.REFUSED
        )
        fail_job(job_id, exc.message)
        return
    except Exception:
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.FAILED)
        fail_job(job_id, "导入失败，未写入任何数据；请联系管理员")
        raise
    finish_job(job_id, result={"next_url": reverse("census:import_detail", kwargs={"pk": batch.pk})}, message=message)
