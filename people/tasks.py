"""Background work of the registry (django-tasks): large exports."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from core.jobs import fail_job, finish_job, report_progress
from core.models import Job
from people.exports import build_export, export_filename
from people.selectors import PersonFilters


@task()
def export_people(job_id: str) -> None:
    """Export the list a user asked for. The job's params hold the filters; the scope is the
    job owner's, read afresh, so a role withdrawn meanwhile narrows the file too."""
    job = Job.objects.get(pk=job_id)
    user = get_user_model().objects.get(pk=job.created_by_id)
    params = job.params
    try:
        content, count = build_export(
            user,
            PersonFilters(**params["filters"]),
            described_filters=params.get("described", {}),
            progress=lambda done, total: report_progress(job_id, done, total),
        )
    except Exception as exc:
        fail_job(job_id, f"导出失败：{exc}")
        raise
    finish_job(
        job_id,
        result={"count": count},
        file_name=export_filename(),
        content=content,
        message=f"共导出 {count} 条",
    )
