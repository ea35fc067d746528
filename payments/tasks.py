"""Background work of payments: drafting a round over the whole registry (seconds at scale)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django_tasks import task

from core.errors import DomainError
from core.jobs import fail_job, finish_job, job_for_task, report_progress
from payments.models import PayoutRound, RuleSet
from payments.selectors import sees_whole_city
from payments.services import draft_round, export_sign_sheets


@task()
def draft_round_task(job_id: str) -> None:
    job = job_for_task(job_id, "payments.manage")
    if job is None:
        return
    if not sees_whole_city(job.created_by):  # drafting a round is the association's act
        fail_job(job_id, "发起人已不是协会工作人员，未生成批次")
        return
    params = job.params
    report_progress(job_id, 0, 1, "正在按规则计算名单…")
    try:
        round_ = draft_round(
            actor=job.created_by,
            rule_set=RuleSet.objects.select_related("kind").get(pk=params["rule_set"]),
            title=params.get("title", ""),
            reference_date=dt.date.fromisoformat(params["reference_date"]),
            progress=lambda done, total: report_progress(job_id, done, total, "正在写入名单…"),
        )
    except DomainError as exc:
        fail_job(job_id, exc.message)
        return
    finish_job(
        job_id,
        result={"round": round_.pk, "next_url": reverse("payments:round_detail", kwargs={"pk": round_.pk})},
        message=f"已生成批次“{round_.title}”",
    )


@task()
def sign_sheets_task(job_id: str) -> None:
    """All districts' 签收单 in one PDF (seconds for a city-wide round), scoped to the job's owner,
    whose permission is checked again here (a role can go while the job waits); logged."""
    job = job_for_task(job_id, "payments.view")
    if job is None:
        return
    # The sheets hold only the lines the starter sees now (sign_sheets_pdf scopes them).
    round_ = PayoutRound.objects.get(pk=job.params["round"])
    try:
        content, count, total = export_sign_sheets(
            actor=job.created_by,
            round_=round_,
            progress=lambda done, n: report_progress(job_id, done, n, "正在生成签收单…"),
        )
    except DomainError as exc:
        fail_job(job_id, exc.message)
        return
    finish_job(
        job_id,
        file_name=f"{round_.title}-签收单.pdf",
        content=content,
        result={"people": count, "total": str(total)},
        message=f"共 {count} 人，合计 {total:,.2f} 元",
    )
