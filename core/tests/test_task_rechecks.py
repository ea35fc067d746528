"""Every background task runs as its starter and checks again, when it starts, that the starter may
still do the work: a role can go while the job waits in the queue."""

from __future__ import annotations

from typing import Any

from census import tasks as census_tasks
from census.models import ImportBatch
from core.models import Job, RoleAssignment
from payments import tasks as payment_tasks
from payments.models import PayoutRound

REFUSED = "发起人已没有这项工作的权限，未做任何处理"


def _queued(kind: str, starter: Any, params: dict[str, Any]) -> Job:
    return Job.objects.create(kind=kind, title="t", created_by=starter, params=params)


def test_census_import_job_refused_when_the_role_went(cast: Any) -> None:
    batch = ImportBatch.objects.create(
        filename="a.xlsx", region=cast.region_a, created_by=cast.district_a, content=b"x"
    )
    job = _queued("census.import", cast.district_a, {"batch": batch.pk, "action": "commit"})
    RoleAssignment.objects.filter(user=cast.district_a).delete()
    census_tasks.run_import.call(str(job.pk))
    job.refresh_from_db()
    batch.refresh_from_db()
    assert (job.status, job.message, batch.status) == ("failed", REFUSED, ImportBatch.Status.VALIDATING)


def test_census_import_job_refused_when_the_batch_is_outside_the_starters_district(cast: Any) -> None:
    batch = ImportBatch.objects.create(
        filename="a.xlsx", region=cast.region_a, created_by=cast.district_a, content=b"x"
    )
    job = _queued("census.import", cast.district_b, {"batch": batch.pk})
    census_tasks.run_import.call(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "发起人已看不到这批导入，未做任何处理")


def test_payment_draft_job_refused_to_a_starter_who_lost_the_city_role(cast: Any) -> None:
    job = _queued("payments.draft", cast.city, {"rule_set": 0, "reference_date": "2026-12-06"})
    RoleAssignment.objects.filter(user=cast.city).delete()
    payment_tasks.draft_round_task.call(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", REFUSED)
    assert PayoutRound.objects.count() == 0


def test_payment_draft_job_refused_to_district_staff(cast: Any) -> None:
    job = _queued("payments.draft", cast.district_a, {"rule_set": 0, "reference_date": "2026-12-06"})
    payment_tasks.draft_round_task.call(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "发起人已不是协会工作人员，未生成批次")


def test_sign_sheets_job_refused_when_the_account_was_disabled(cast: Any) -> None:
    job = _queued("payments.sign_sheets", cast.district_a, {"round": 0})
    type(cast.district_a).objects.filter(pk=cast.district_a.pk).update(is_active=False)
    payment_tasks.sign_sheets_task.call(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", REFUSED)
