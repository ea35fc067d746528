"""Job progress is visible to the job page while the work's own transaction is still open."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from core.jobs import report_progress
from core.models import Job, User


@pytest.mark.django_db(transaction=True)
def test_progress_outside_a_transaction_is_written_directly() -> None:
    user = User.objects.create(username="clerk")
    job = Job.objects.create(kind="census.import", title="导入", created_by=user)
    report_progress(str(job.pk), 40, 100, "校验中")
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.message) == (Job.Status.RUNNING, 40, 100, "校验中")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_inside_a_long_transaction_is_seen_before_it_commits() -> None:
    user = User.objects.create(username="clerk")
    job = Job.objects.create(kind="census.import", title="导入", created_by=user)
    watcher = connection.copy()  # the job page, polling from another connection
    try:
        with transaction.atomic():
            report_progress(str(job.pk), 4000, 100000, "校验并写入中")
            with watcher.cursor() as cursor:
                cursor.execute("SELECT done, total, message FROM core_job WHERE id = %s", [job.pk])
                assert cursor.fetchone() == (4000, 100000, "校验并写入中")
    finally:
        watcher.close()
